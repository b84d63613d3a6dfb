package open311

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// Changeset is when the discovery document, the service list or a
// service definition last changed; clients refresh what they cache when
// it moves. Change it with pendopo.ReportCategories.
const Changeset = "2026-11-27T00:00:00Z"

type discoveryOut struct {
	Changeset  string        `json:"changeset" xml:"changeset"`
	Contact    string        `json:"contact" xml:"contact"`
	KeyService string        `json:"key_service" xml:"key_service"`
	Endpoints  []endpointOut `json:"endpoints" xml:"endpoints>endpoint"`
}

type endpointOut struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

// base is the portal's address: the configured one, else the one the
// request came to.
func (s *server) base(r *http.Request) string {
	if b := s.app.BaseURL(); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// discovery describes the endpoint (Open311 Service Discovery).
func (s *server) discovery(c *call) (reply, error) {
	base := s.base(c.r)
	return reply{root: "discovery", one: discoveryOut{
		Changeset: Changeset,
		Contact: "Pendopo — portal layanan publik / public service portal: " + base +
			"/tentang. Pertanyaan tentang laporan: hubungi pengelola daerahnya / questions about a report: contact its region.",
		KeyService: "api_key adalah token integrasi (pdp_…) yang dibuat admin daerah di " + base +
			"/admin/token / the api_key is an integration token (pdp_…) made by a region's admin at " + base + "/admin/token.",
		Endpoints: []endpointOut{{
			Specification: Specification, URL: base + strings.TrimSuffix(Prefix, "/"), Changeset: Changeset,
			Type: "production", Formats: []string{"text/xml", "application/json"},
		}},
	}}, nil
}

type serviceOut struct {
	Code        string `json:"service_code" xml:"service_code"`
	Name        string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

// serviceInfo is what Open311 says of a category beyond its title.
type serviceInfo struct {
	group, keywords, description string
}

// serviceInfos groups the categories, describes them and gives them
// search words, in Indonesian; services adds the English title to the
// keywords.
var serviceInfos = map[string]serviceInfo{
	"jalan":            {"prasarana", "jalan berlubang, aspal rusak, jembatan, trotoar", "Jalan berlubang atau retak, jembatan dan trotoar rusak."},
	"penerangan-jalan": {"prasarana", "lampu jalan, PJU, lampu mati", "Lampu penerangan jalan umum yang mati, berkedip atau rusak."},
	"drainase-banjir":  {"prasarana", "banjir, genangan, selokan, got, saluran air", "Genangan, banjir, selokan tersumbat dan saluran air rusak."},
	"air-bersih":       {"prasarana", "PDAM, air mati, pipa bocor", "Air bersih tidak mengalir, keruh, atau pipa bocor."},
	"lalu-lintas":      {"prasarana", "lampu lalu lintas, rambu, parkir liar, angkot, bus", "Lampu lalu lintas, rambu, marka, parkir dan angkutan umum."},
	"taman-fasum":      {"prasarana", "taman, fasilitas umum, halte, toilet umum", "Taman, halte, toilet umum dan fasilitas umum lain yang rusak."},
	"sampah":           {"lingkungan", "sampah menumpuk, TPS, kebersihan", "Sampah menumpuk, tidak diangkut, atau dibuang sembarangan."},
	"lingkungan":       {"lingkungan", "pencemaran, limbah, asap, bau, kebisingan", "Pencemaran air, udara dan tanah: limbah, asap, bau, kebisingan."},
	"ketertiban":       {"lingkungan", "ketertiban, PKL, bangunan liar, Satpol PP", "Gangguan ketertiban umum, bangunan liar dan penggunaan ruang publik."},
	"pelayanan-publik": {"pelayanan", "standar pelayanan, pelayanan lambat, maladministrasi", "Pelayanan yang tidak sesuai standar pelayanannya: waktu, biaya, persyaratan, sikap petugas."},
	"pungli":           {"pelayanan", "pungutan liar, pungli, suap, korupsi, gratifikasi", "Pungutan di luar tarif resmi, suap dan dugaan korupsi."},
	"kesehatan":        {"layanan dasar", "puskesmas, rumah sakit, BPJS", "Layanan puskesmas, rumah sakit daerah dan jaminan kesehatan."},
	"pendidikan":       {"layanan dasar", "sekolah, PPDB, guru", "Sekolah, penerimaan peserta didik baru dan layanan pendidikan."},
	"sosial":           {"layanan dasar", "bansos, PKH, BLT, bantuan sosial", "Penyaluran dan data penerima bantuan sosial."},
	"kependudukan":     {"layanan dasar", "KTP, KK, akta, Disdukcapil", "Layanan dokumen kependudukan: KTP-el, KK, akta."},
	"informasi-publik": {"informasi", "PPID, keterbukaan informasi, UU 14/2008", "Permintaan dan keberatan informasi publik (UU 14/2008)."},
	"lainnya":          {"lainnya", "lain-lain", "Hal lain yang menjadi urusan pemerintah daerah."},
}

func serviceOf(cat pendopo.ReportCategory) serviceOut {
	info := serviceInfos[cat.Code]
	if info.group == "" {
		info.group, info.description = "lainnya", cat.Title.Indonesian+"."
	}
	desc := info.description
	if cat.Located {
		desc += " Sertakan lokasinya: lat/long atau address_string."
	}
	keywords := strings.ToLower(cat.Title.English)
	if info.keywords != "" {
		keywords = info.keywords + ", " + keywords
	}
	return serviceOut{Code: cat.Code, Name: cat.Title.Indonesian, Description: desc, Type: "realtime", Keywords: keywords, Group: info.group}
}

// jurisdiction checks a jurisdiction_id, a region's Kemendagri code; ""
// stands for the whole country.
func (s *server) jurisdiction(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	if _, err := s.app.Region(ctx, code); err != nil {
		if isNotFound(err) {
			return errUnknownJurisdiction(code)
		}
		return err
	}
	return nil
}

func errUnknownJurisdiction(code string) error {
	return notFound(pendopo.M("open311.unknown_jurisdiction_id_use_kemendagri", strconv.Quote(code)))
}

func errUnknownService(code string) error {
	return notFound(pendopo.M("open311.unknown_service_code_list_at", strconv.Quote(code)))
}

// services lists the report categories, the same in every region: each
// region routes every category to one of its agencies.
func (s *server) services(c *call) (reply, error) {
	if err := s.jurisdiction(c.r.Context(), c.r.FormValue("jurisdiction_id")); err != nil {
		return reply{}, err
	}
	list := make([]any, len(pendopo.ReportCategories))
	for i, cat := range pendopo.ReportCategories {
		list[i] = serviceOf(cat)
	}
	return reply{root: "services", item: "service", list: list}, nil
}

type definitionOut struct {
	Code       string       `json:"service_code" xml:"service_code"`
	Attributes noAttributes `json:"attributes" xml:"attributes"`
}

// noAttributes is the empty attribute list of a category: reports need no
// fields beyond the standard ones.
type noAttributes struct{}

// MarshalJSON writes an empty list.
func (noAttributes) MarshalJSON() ([]byte, error) { return []byte("[]"), nil }

// definition answers a service definition. No category has metadata, so
// the specification would not need it; answering with no attributes
// serves clients that ask anyway.
func (s *server) definition(c *call) (reply, error) {
	if err := s.jurisdiction(c.r.Context(), c.r.FormValue("jurisdiction_id")); err != nil {
		return reply{}, err
	}
	if _, ok := pendopo.ReportCategoryByCode(c.arg); !ok {
		return reply{}, errUnknownService(c.arg)
	}
	return reply{root: "service_definition", one: definitionOut{Code: c.arg}}, nil
}
