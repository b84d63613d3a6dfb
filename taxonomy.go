package pendopo

// Category is a sector that groups services for browsing; the list is
// national so that regions can be compared.
type Category struct {
	Code  string `json:"code"`
	Title Text   `json:"title"`
}

// Categories is the national list of service categories.
var Categories = []Category{
	{"kependudukan", T("Administrasi kependudukan", "Civil registration and ID")},
	{"perizinan", T("Perizinan dan penanaman modal", "Permits and investment")},
	{"pajak-retribusi", T("Pajak dan retribusi daerah", "Regional taxes and levies")},
	{"kesehatan", T("Kesehatan", "Health")},
	{"sosial", T("Sosial", "Social welfare")},
	{"pendidikan", T("Pendidikan", "Education")},
	{"ketenagakerjaan", T("Ketenagakerjaan", "Employment")},
	{"perhubungan", T("Perhubungan", "Transport")},
	{"lingkungan", T("Lingkungan hidup dan kebersihan", "Environment and waste")},
	{"administrasi-umum", T("Surat keterangan dan administrasi umum", "Letters and general administration")},
	{"informasi-pengaduan", T("Informasi publik dan pengaduan", "Public information and complaints")},
	{"ketenteraman", T("Ketenteraman, kebakaran, dan bencana", "Public order, fire and disasters")},
	{"perdagangan-umkm", T("Perdagangan, koperasi, dan UMKM", "Trade, cooperatives and small business")},
	{"pertanian-perikanan", T("Pertanian, peternakan, dan perikanan", "Agriculture, livestock and fisheries")},
	{"pertanahan-perumahan", T("Pertanahan, perumahan, dan pemakaman", "Land, housing and cemeteries")},
	{"kebudayaan-pariwisata", T("Kebudayaan, pariwisata, dan olahraga", "Culture, tourism and sport")},
	{"perpustakaan-arsip", T("Perpustakaan dan kearsipan", "Libraries and archives")},
}

// CategoryByCode finds a category.
func CategoryByCode(code string) (Category, bool) {
	for _, c := range Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// LifeEvent is a moment in a citizen's life that calls for services; the
// portal groups services by it, as GOV.UK and Estonia's portal do.
type LifeEvent struct {
	Code  string `json:"code"`
	Title Text   `json:"title"`
	Blurb Text   `json:"blurb"`
}

// LifeEvents is the national list of life events.
var LifeEvents = []LifeEvent{
	{"kelahiran", T("Kelahiran anak", "Having a baby"), T("Akta kelahiran, KIA, dan pembaruan Kartu Keluarga.", "Birth certificate, child ID card and family card update.")},
	{"menginjak-dewasa", T("Menginjak usia 17 tahun", "Turning 17"), T("KTP-el pertama dan dokumen untuk melamar kerja.", "First ID card and papers for a first job.")},
	{"pernikahan", T("Menikah", "Getting married"), T("Akta perkawinan dan Kartu Keluarga baru.", "Marriage certificate and a new family card.")},
	{"pindah-domisili", T("Pindah domisili", "Moving house"), T("Surat pindah, pindah datang, dan surat keterangan domisili.", "Moving-out letter, registering at the new address, proof of residence.")},
	{"mendirikan-usaha", T("Mendirikan usaha", "Starting a business"), T("NIB, izin usaha, sertifikat produksi pangan, dan pajak daerah.", "Business number, permits, home food production certificate and local taxes.")},
	{"membangun-rumah", T("Membangun atau merenovasi bangunan", "Building or renovating"), T("PBG (dulu IMB), SLF, dan persetujuan lingkungan.", "Building approval (formerly IMB), certificate of fitness and environmental approval.")},
	{"jual-beli-tanah", T("Membeli tanah atau rumah", "Buying land or a house"), T("BPHTB, PBB, dan balik nama.", "Transfer duty, property tax and change of owner.")},
	{"bersekolah", T("Bersekolah", "Going to school"), T("Pendaftaran sekolah, surat pindah sekolah, dan ijazah.", "School enrolment, transfers and diplomas.")},
	{"mencari-kerja", T("Mencari kerja", "Looking for work"), T("Kartu pencari kerja, pengantar SKCK, dan surat sehat.", "Job seeker card, police record letter and health certificate.")},
	{"sakit", T("Berobat dan kesehatan", "Health care"), T("Puskesmas, surat keterangan sehat, dan rujukan.", "Health centres, health certificates and referrals.")},
	{"kehilangan-dokumen", T("Kehilangan atau kerusakan dokumen", "Lost or damaged documents"), T("Penggantian KTP-el, KK, akta, dan ijazah.", "Replacing ID cards, family cards, certificates and diplomas.")},
	{"bantuan-sosial", T("Membutuhkan bantuan sosial", "Needing social assistance"), T("Pendaftaran data sosial ekonomi, SKTM, dan rekomendasi.", "Social welfare registration, letters of low income and referrals.")},
	{"memiliki-kendaraan", T("Memiliki kendaraan", "Owning a vehicle"), T("Pajak kendaraan dan uji berkala.", "Vehicle tax and roadworthiness tests.")},
	{"kematian", T("Kematian anggota keluarga", "Death in the family"), T("Akta kematian, pemakaman, ahli waris, dan pembaruan KK.", "Death certificate, burial, heirs and family card update.")},
}

// LifeEventByCode finds a life event.
func LifeEventByCode(code string) (LifeEvent, bool) {
	for _, e := range LifeEvents {
		if e.Code == code {
			return e, true
		}
	}
	return LifeEvent{}, false
}

// ServiceKind is a national kind of service ("ktp-el"); every region's
// service of that kind can be compared with the others.
type ServiceKind struct {
	Code     string `json:"code"`
	Name     Text   `json:"name"`
	Category string `json:"category"`
	// Weight is a prior in [0,1] for how often citizens need this kind; it
	// breaks ties in search ranking so that common services come first.
	Weight float64 `json:"weight"`
}
