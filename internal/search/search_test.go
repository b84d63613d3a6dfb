package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Penerbitan KTP-el", []string{"penerbitan", "ktp", "el"}},
		{"  E-KTP!!  ", []string{"e", "ktp"}},
		{"anak-anak", []string{"anak"}},
		{"Jum'at, 08.00–15.00", []string{"jumat", "08", "00", "15", "00"}},
		{"Kafé Établissement", []string{"kafe", "etablissement"}},
		{"surat keterangan/rekomendasi", []string{"surat", "keterangan", "rekomendasi"}},
		{strings.Repeat("a", 41) + " ok", []string{"ok"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	got := Analyze("Cara pembuatan KTP yang dibuat di kelurahan")
	var stems []string
	for _, tok := range got {
		stems = append(stems, tok.Stem)
	}
	want := []string{"cara", "buat", "ktp", "buat", "lurah"}
	if !slices.Equal(stems, want) {
		t.Errorf("stems = %q, want %q", stems, want)
	}
}

func TestParseQuery(t *testing.T) {
	q := ParseQuery(`syarat bikin "kartu keluarga" -ganti yg baru`)
	type term struct {
		stem           string
		phrase         int
		exclude, noise bool
	}
	var got []term
	for _, t := range q.Terms {
		got = append(got, term{t.Stem, t.Phrase, t.Exclude, t.Noise})
	}
	want := []term{{"syarat", 0, false, true}, {"bikin", 0, false, false}, {"kartu", 1, false, false}, {"luarga", 1, false, false}, {"ganti", 0, true, false}, {"baru", 0, false, false}}
	if !slices.Equal(got, want) {
		t.Errorf("terms = %+v\nwant %+v", got, want)
	}
	// A query of framing words only is searched as it is.
	if q := ParseQuery("syarat"); len(q.Terms) != 1 || q.Terms[0].Noise {
		t.Errorf("noise-only query: %+v", q.Terms)
	}
	if q := ParseQuery("yang di dan"); !q.Empty() {
		t.Errorf("stop words only should be empty: %+v", q)
	}
	long := ParseQuery(strings.Repeat("kata ", 100))
	if len(long.Terms) > MaxQueryTerms || len(long.Text) > MaxQueryBytes {
		t.Errorf("limits not applied: %d terms, %d bytes", len(long.Terms), len(long.Text))
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"bikin ktp", `"akta kelahiran" -ganti`, "-", `"`, "é-ktp’s", "\xff\xfe", strings.Repeat("-\"a ", 200)} {
		f.Add(s)
	}
	ix := testIndex(f)
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		if len(q.Terms) > MaxQueryTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		for _, term := range q.Terms {
			if term.Stem == "" || term.Surface == "" {
				t.Fatalf("empty term in %q: %+v", s, q.Terms)
			}
		}
		res := ix.Search(q, Options{Page: pendopo.Page{PerPage: 5}})
		if len(res.Hits) > 5 || res.Total < len(res.Hits) {
			t.Fatalf("bad result for %q: %d hits of %d", s, len(res.Hits), res.Total)
		}
	})
}

func TestSynonyms(t *testing.T) {
	s, err := ParseSynonyms("# komentar\nktp, kartu tanda penduduk\nimb => pbg, persetujuan bangunan gedung\n\nakta, akte")
	if err != nil {
		t.Fatal(err)
	}
	if s.Rules() != 3 {
		t.Errorf("rules = %d", s.Rules())
	}
	r, ok := s.match([]string{"kartu", "tanda", "duduk", "baru"}, "")
	if !ok || !slices.Equal(r.from, []string{"kartu", "tanda", "duduk"}) || len(r.to) != 1 || r.to[0][0] != "ktp" {
		t.Errorf("match kartu tanda penduduk: %+v %v", r, ok)
	}
	if r, ok := s.match([]string{"imb"}, ""); !ok || len(r.to) != 2 {
		t.Errorf("imb: %+v", r)
	}
	// A region's rule applies in that region (and not elsewhere), beside
	// the national rule for the same phrase.
	rs, err := ParseSynonyms("keur => surat sehat\n@33.74 keur => kir, uji kendaraan\n@33 gakin => sktm")
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := rs.match([]string{"keur"}, "33.74"); !ok || len(r.to) != 3 || r.to[0][0] != "kir" && r.to[0][0] != "surat" {
		t.Errorf("keur in 33.74: %+v", r)
	}
	if r, ok := rs.match([]string{"keur"}, "33.72"); !ok || len(r.to) != 1 {
		t.Errorf("keur in 33.72 has only the national rule: %+v", r)
	}
	if _, ok := rs.match([]string{"gakin"}, "33.22"); !ok {
		t.Error("a province's rule applies in its kabupaten")
	}
	if _, ok := rs.match([]string{"gakin"}, ""); ok {
		t.Error("a province's rule applies to national searches")
	}
	if _, err := ParseSynonyms("@99x keur => kir"); err == nil {
		t.Error("a bad region code is accepted")
	}
	// One way only: pbg does not find imb.
	if _, ok := s.match([]string{"pbg"}, ""); ok {
		t.Error("pbg matched a one-way rule backwards")
	}
	// Errors name the line.
	_, err = ParseSynonyms("ktp, kartu\nsendirian\nyang, dan\na => b => c")
	e, ok := err.(*pendopo.Error)
	if !ok || len(e.Fields) != 3 || e.Fields[0].Line != 2 || e.Fields[1].Line != 3 || e.Fields[2].Line != 4 {
		t.Fatalf("errors = %v", err)
	}
	if _, err := ParseSynonyms(DefaultSynonyms); err != nil {
		t.Errorf("default synonyms: %v", err)
	}
}

func TestOSA(t *testing.T) {
	tests := []struct {
		a, b string
		d    int
	}{
		{"kelahiran", "kelahiran", 0},
		{"kelahrian", "kelahiran", 1},
		{"kelhiran", "kelahiran", 1},
		{"pasport", "paspor", 1},
		{"ijasah", "ijazah", 1},
		{"sertifkat", "sertifikat", 1},
		{"pembuatn", "pembuatan", 1},
		{"abcd", "wxyz", 3},
	}
	for _, tt := range tests {
		if got := osa(tt.a, tt.b, 2); got != min(tt.d, 3) {
			t.Errorf("osa(%q, %q) = %d, want %d", tt.a, tt.b, got, min(tt.d, 3))
		}
	}
}

func doc(id int64, region, name, kind string, weight float64, body string) Doc {
	d := Doc{Service: pendopo.ServiceSummary{ID: id, RegionCode: region, Name: name, Kind: kind}, Weight: weight}
	d.Text[FieldName] = name
	d.Text[FieldKind] = kind
	d.Text[FieldBody] = body
	return d
}

func testIndex(tb testing.TB) *Index {
	syn, err := ParseSynonyms(DefaultSynonyms)
	if err != nil {
		tb.Fatal(err)
	}
	ix := NewIndex(syn)
	for _, d := range []Doc{
		doc(1, "33.74", "Penerbitan KTP-el Baru", "ktp-el", 1, "Kartu Keluarga"),
		doc(2, "33.74", "Penggantian KTP-el Rusak atau Hilang", "ktp-el-ganti", 0.7, "Kartu Keluarga; KTP-el yang rusak"),
		doc(3, "33.74", "Penerbitan Kartu Keluarga", "kk", 0.9, "Fotokopi KTP-el; buku nikah"),
		doc(4, "33.74", "Penerbitan Akta Kelahiran", "akta-kelahiran", 0.9, "Surat keterangan lahir; KK; KTP-el orang tua"),
		doc(5, "33.74", "Persetujuan Bangunan Gedung (PBG)", "pbg", 0.5, "Gambar rencana; sertifikat tanah"),
		doc(6, "33.72", "Penerbitan KTP-el", "ktp-el", 1, "KK"),
		doc(7, "33.74", "Surat Keterangan Domisili", "sk-domisili", 0.6, "Surat pengantar RT/RW"),
		doc(8, "11.01", "Penerbitan Akta Kematian", "akta-kematian", 0.6, "Surat keterangan kematian"),
	} {
		ix.Put(d)
	}
	return ix
}

func ids(r Result) []int64 {
	var out []int64
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		q, region string
		first     int64
		absent    []int64
	}{
		{"bikin ktp", "33.74", 1, []int64{6}},
		{"kartu tanda penduduk", "33.74", 1, nil},
		{"e-ktp", "33.72", 6, []int64{1, 2}},
		{"akte lahir", "", 4, nil},
		{"kelahrian", "", 4, nil},
		{"imb", "", 5, nil},
		{"izin mendirikan bangunan", "", 5, nil},
		{"surat keterangan tempat tinggal", "", 7, nil},
		{"ktp -ganti", "33.74", 1, []int64{2}},
		{`"kartu keluarga"`, "33.74", 3, []int64{5}},
		{"akta", "33", 4, []int64{8}},
		{"ktp hilang", "33.74", 2, nil},
	}
	for _, tt := range tests {
		res := ix.Search(ParseQuery(tt.q), Options{Region: tt.region})
		got := ids(res)
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("%q in %q: got %v, want %d first", tt.q, tt.region, got, tt.first)
		}
		for _, a := range tt.absent {
			if slices.Contains(got, a) {
				t.Errorf("%q in %q: %d should not be in %v", tt.q, tt.region, a, got)
			}
		}
		if res.Total != len(got) {
			t.Errorf("%q: total %d for %d hits", tt.q, res.Total, len(got))
		}
	}
	if res := ix.Search(ParseQuery("kelahrian"), Options{}); res.Corrections["kelahrian"] != "kelahiran" {
		t.Errorf("corrections = %v", res.Corrections)
	}
	if res := ix.Search(ParseQuery("xyzzy"), Options{}); len(res.Hits) != 0 {
		t.Errorf("nonsense found %v", ids(res))
	}
}

func TestIndexUpdates(t *testing.T) {
	ix := testIndex(t)
	ix.Put(doc(1, "33.74", "Penerbitan Surat Domisili Usaha", "sk-usaha", 0.5, ""))
	if got := ids(ix.Search(ParseQuery("ktp"), Options{Region: "33.74"})); slices.Contains(got, 1) {
		t.Errorf("replaced doc still found under old words: %v", got)
	}
	if got := ids(ix.Search(ParseQuery("domisili usaha"), Options{})); len(got) == 0 || got[0] != 1 {
		t.Errorf("replaced doc not found under new words: %v", got)
	}
	ix.Delete(1)
	ix.Delete(99)
	if ix.Len() != 7 {
		t.Errorf("len = %d", ix.Len())
	}
	// Compaction keeps results intact.
	for i := range 3000 {
		ix.Put(doc(int64(100+i), "33.01", "Layanan Contoh", "x", 0, ""))
	}
	for i := range 3000 {
		ix.Delete(int64(100 + i))
	}
	if got := ids(ix.Search(ParseQuery("akta kelahiran"), Options{})); len(got) == 0 || got[0] != 4 {
		t.Errorf("after compaction: %v", got)
	}
	if len(ix.docs) > 1100 {
		t.Errorf("not compacted: %d docs", len(ix.docs))
	}
}

func TestSearchPaging(t *testing.T) {
	ix := NewIndex(nil)
	for i := range 30 {
		ix.Put(doc(int64(i+1), "33.74", "Layanan Perizinan", "x", 0, ""))
	}
	seen := map[int64]bool{}
	for p := 1; p <= 4; p++ {
		res := ix.Search(ParseQuery("perizinan"), Options{Page: pendopo.Page{Page: p, PerPage: 10}})
		if res.Total != 30 {
			t.Fatalf("total %d", res.Total)
		}
		if p == 4 && len(res.Hits) != 0 || p < 4 && len(res.Hits) != 10 {
			t.Fatalf("page %d has %d hits", p, len(res.Hits))
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Fatalf("%d on two pages", h.ID)
			}
			seen[h.ID] = true
		}
	}
}

func TestResultCache(t *testing.T) {
	ix := testIndex(t)
	ix.SetResultCache(10)
	q := ParseQuery("akta kelahiran")
	first := ix.Search(q, Options{})
	first.Hits[0].Name = "diubah pemanggil"
	again := ix.Search(ParseQuery("Akta  KELAHIRAN!"), Options{})
	if again.Hits[0].Name == "diubah pemanggil" || again.Hits[0].ID != 4 {
		t.Fatalf("cache shares hits with callers: %+v", again.Hits[0])
	}
	// A change to the index retires cached results.
	ix.Put(doc(4, "33.74", "Pencatatan Kelahiran Bayi", "akta-kelahiran", 0.9, ""))
	if res := ix.Search(q, Options{}); len(res.Hits) == 0 || res.Hits[0].Name != "Pencatatan Kelahiran Bayi" {
		t.Errorf("stale result after a change: %+v", res.Hits)
	}
	// So does a new synonym list.
	syn, _ := ParseSynonyms("kelahiran, qwertyanak")
	if res := ix.Search(ParseQuery("qwertyanak"), Options{}); len(res.Hits) != 0 {
		t.Fatalf("found before the synonym exists: %v", ids(res))
	}
	ix.SetSynonyms(syn)
	if res := ix.Search(ParseQuery("qwertyanak"), Options{}); len(res.Hits) == 0 {
		t.Error("cached result hides the new synonym")
	}
	// Different pages and regions are different entries.
	if a, b := ix.Search(q, Options{Region: "33.72"}), ix.Search(q, Options{}); len(a.Hits) == len(b.Hits) {
		t.Errorf("region filter ignored by the cache: %d vs %d", len(a.Hits), len(b.Hits))
	}
}

func TestSeek(t *testing.T) {
	var l []posting
	for d := uint32(0); d < 1000; d += 3 {
		l = append(l, posting{doc: d})
	}
	for from := 0; from < len(l); from += 37 {
		for doc := uint32(0); doc < 1010; doc++ {
			want := from
			for want < len(l) && l[want].doc < doc {
				want++
			}
			if got := seek(l, from, doc); got != want {
				t.Fatalf("seek(from %d, doc %d) = %d, want %d", from, doc, got, want)
			}
		}
	}
}
