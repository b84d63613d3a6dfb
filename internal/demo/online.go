package demo

import (
	"fmt"
	"strings"

	"github.com/pendopo/pendopo"
)

// onlineServices are the demo services citizens can apply for in
// Pendopo: the civil registry's, whose demo staff can then work the
// queue, and the domicile letter named in every Pemda's catalogue.
var onlineServices = map[string][]string{
	"33.74": {"penerbitan-kk-baru", "perubahan-data-kk", "penerbitan-akta-kelahiran", "penerbitan-akta-kematian", "surat-pindah-keluar", "surat-keterangan-domisili"},
	"33.72": {"pembuatan-kk", "perubahan-kk", "akta-kelahiran", "akta-kematian", "pindah-keluar", "surat-domisili"},
}

func isOnline(region, slug string) bool {
	for _, s := range onlineServices[region] {
		if s == slug {
			return true
		}
	}
	return false
}

var (
	fieldName = pendopo.FormField{Key: "nama", Label: pendopo.T("Nama lengkap sesuai KTP-el", "Full name as on the ID card"), Type: pendopo.FieldText, Required: true}
	fieldNIK  = pendopo.FormField{Key: "nik", Label: pendopo.T("NIK pemohon", "Applicant's NIK"), Type: pendopo.FieldNIK, Required: true}
	fieldHP   = pendopo.FormField{Key: "ponsel", Label: pendopo.T("Nomor ponsel yang dapat dihubungi", "A mobile number we can call"),
		Type: pendopo.FieldPhone, Help: pendopo.T("Petugas menghubungi nomor ini bila ada yang perlu dijelaskan.", "The officer calls this number if something needs explaining.")}
	fieldConsent = pendopo.FormField{Key: "persetujuan", Type: pendopo.FieldConsent, Required: true,
		Label: pendopo.T("Saya menyatakan data dan dokumen yang saya kirim benar dan bersedia menanggung akibat hukum bila tidak benar.",
			"I declare that the data and documents I send are true and accept the legal consequences if they are not.")}
	allFiles = []string{pendopo.MediaPDF, pendopo.MediaJPEG, pendopo.MediaPNG}
)

// online builds the form, workflow and output of a demo online service
// from its standard: an upload per required document, an address field
// where the standard asks for an address, and a few fields per kind.
func online(c pendopo.ServiceContent) *pendopo.Online {
	f := pendopo.Form{Fields: []pendopo.FormField{fieldName, fieldNIK}}
	extra, body := kindFields(c.Kind)
	f.Fields = append(f.Fields, extra...)
	f.Fields = append(f.Fields, fieldHP)
	for i, req := range c.Standard.Requirements {
		if strings.HasPrefix(strings.ToLower(req), "alamat") {
			f.Fields = append(f.Fields, pendopo.FormField{Key: "alamat_tujuan", Label: pendopo.T(req, "Destination address"), Type: pendopo.FieldAddress, Required: true})
			continue
		}
		optional := strings.Contains(req, "bila ada") || strings.Contains(req, "bila tidak") || strings.Contains(req, "(bagi ")
		f.Fields = append(f.Fields, pendopo.FormField{Key: fmt.Sprintf("dokumen_%d", i+1), Label: pendopo.T(req, req), Type: pendopo.FieldFile,
			Required: !optional, Accept: allFiles, MaxBytes: 5 << 20})
	}
	f.Fields = append(f.Fields, fieldConsent)
	wf := pendopo.DefaultWorkflow()
	if c.Kind == "sk-domisili" {
		// A letter from the district office: checked, signed, issued.
		wf.Steps = []pendopo.WorkflowStep{wf.Steps[0], wf.Steps[2], wf.Steps[3]}
	}
	return &pendopo.Online{Form: f, Workflow: wf, Output: pendopo.Output{Title: strings.ToUpper(c.Standard.Product), Body: body}}
}

// kindFields are the questions and the document text of each demo kind.
func kindFields(kind string) ([]pendopo.FormField, string) {
	switch kind {
	case "sk-domisili":
		return []pendopo.FormField{
			{Key: "alamat", Label: pendopo.T("Alamat tempat tinggal sekarang", "Current address"), Type: pendopo.FieldAddress, Required: true},
			{Key: "lama_tinggal", Label: pendopo.T("Lama tinggal di alamat ini (tahun)", "Years at this address"), Type: pendopo.FieldNumber},
			{Key: "keperluan", Label: pendopo.T("Keperluan surat", "What the letter is for"), Type: pendopo.FieldChoice, Required: true,
				Options: []string{"Melamar pekerjaan", "Pendaftaran sekolah", "Membuka rekening bank", "Persyaratan usaha", "Lainnya"}},
		}, "Yang bertanda tangan di bawah ini menerangkan bahwa {nama}, NIK {nik}, benar berdomisili di {alamat}.\n\nSurat keterangan ini dibuat untuk keperluan: {keperluan}, dan berlaku selama 6 (enam) bulan sejak tanggal diterbitkan."
	case "akta-kelahiran":
		return []pendopo.FormField{
			{Key: "nama_anak", Label: pendopo.T("Nama anak", "Child's name"), Type: pendopo.FieldText, Required: true},
			{Key: "tanggal_lahir", Label: pendopo.T("Tanggal lahir anak", "Child's date of birth"), Type: pendopo.FieldDate, Required: true},
			{Key: "tempat_lahir", Label: pendopo.T("Tempat lahir", "Place of birth"), Type: pendopo.FieldText, Required: true},
			{Key: "jenis_kelamin", Label: pendopo.T("Jenis kelamin anak", "Child's sex"), Type: pendopo.FieldChoice, Required: true, Options: []string{"Laki-laki", "Perempuan"}},
		}, "Berdasarkan permohonan {pemohon} nomor {nomor}, telah dicatat kelahiran {nama_anak}, {jenis_kelamin}, lahir di {tempat_lahir} pada {tanggal_lahir}.\n\nKutipan akta kelahiran dapat diambil atau dicetak mandiri sesuai ketentuan dokumen kependudukan ber-TTE."
	case "akta-kematian":
		return []pendopo.FormField{
			{Key: "nama_almarhum", Label: pendopo.T("Nama almarhum/almarhumah", "Name of the deceased"), Type: pendopo.FieldText, Required: true},
			{Key: "tanggal_meninggal", Label: pendopo.T("Tanggal meninggal", "Date of death"), Type: pendopo.FieldDate, Required: true},
			{Key: "hubungan", Label: pendopo.T("Hubungan pelapor dengan almarhum", "Reporter's relation to the deceased"), Type: pendopo.FieldChoice, Required: true,
				Options: []string{"Suami/istri", "Anak", "Orang tua", "Saudara", "Lainnya"}},
		}, "Berdasarkan laporan {pemohon} ({hubungan}), telah dicatat kematian {nama_almarhum} pada {tanggal_meninggal}.\n\nKartu Keluarga yang bersangkutan dimutakhirkan sesuai pencatatan ini."
	case "pindah-keluar":
		return []pendopo.FormField{
			{Key: "alasan", Label: pendopo.T("Alasan pindah", "Reason for moving"), Type: pendopo.FieldChoice, Required: true,
				Options: []string{"Pekerjaan", "Pendidikan", "Keluarga", "Perumahan", "Lainnya"}},
			{Key: "jumlah_pindah", Label: pendopo.T("Jumlah anggota keluarga yang pindah", "Family members moving"), Type: pendopo.FieldNumber, Required: true},
		}, "Diterangkan bahwa {nama}, NIK {nik}, beserta {jumlah_pindah} anggota keluarga pindah ke {alamat_tujuan} dengan alasan {alasan}.\n\nSurat keterangan pindah ini wajib dilaporkan di daerah tujuan paling lambat 30 hari sejak diterbitkan."
	case "kk-perubahan":
		return []pendopo.FormField{
			{Key: "perubahan", Label: pendopo.T("Data yang berubah", "What changed"), Type: pendopo.FieldMulti, Required: true,
				Options: []string{"Tambah anggota (kelahiran)", "Kurangi anggota (kematian/pindah)", "Pendidikan", "Pekerjaan", "Status perkawinan", "Lainnya"}},
			{Key: "keterangan", Label: pendopo.T("Keterangan perubahan", "Details of the change"), Type: pendopo.FieldLongText},
		}, "Kartu Keluarga atas nama {nama}, NIK {nik}, telah dimutakhirkan untuk perubahan: {perubahan}.\n\nKartu Keluarga ber-TTE yang baru menggantikan yang lama dan dapat dicetak mandiri."
	default: // kk
		return []pendopo.FormField{
			{Key: "alasan", Label: pendopo.T("Alasan penerbitan KK", "Why a new family card"), Type: pendopo.FieldChoice, Required: true,
				Options: []string{"Keluarga baru (menikah)", "Pisah KK", "Pindah datang", "KK hilang atau rusak"}},
			{Key: "jumlah_anggota", Label: pendopo.T("Jumlah anggota keluarga", "Family members"), Type: pendopo.FieldNumber, Required: true},
		}, "Telah diterbitkan Kartu Keluarga bagi {nama}, NIK {nik}, dengan {jumlah_anggota} anggota keluarga, karena {alasan}.\n\nKartu Keluarga ber-TTE dapat dicetak mandiri pada kertas HVS A4 80 gram."
	}
}
