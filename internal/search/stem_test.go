package search

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// stemCases holds words with the stems PostgreSQL 15 gives for them:
// SELECT ts_lexize('indonesian_stem', w). They were taken from the
// database, not from Stem, and include the algorithm's oddities.
var stemCases = []struct{ word, want string }{
	// The examples that motivated the stemmer.
	{"pembuatan", "buat"},
	{"membuat", "buat"},
	{"dibuat", "buat"},
	{"perizinan", "izin"},
	{"membangun", "bangun"},
	{"bangunan", "bangun"},
	{"pengaduan", "adu"},
	{"mengadukan", "adu"},
	{"kelahiran", "lahir"},
	{"pelayanan", "layan"},
	{"kependudukan", "nduduk"}, // ke-...-an, then pe- read as a second-order prefix

	// meng-, meny- (-> s), mem- (-> p before a vowel), men-, me-.
	{"mengambil", "ambil"},
	{"mengirim", "irim"}, // the k of kirim is not restored
	{"mengirimkan", "irim"},
	{"mengetahui", "etahu"},
	{"mengurusi", "urusi"}, // -i is kept after s
	{"menyapu", "sapu"},
	{"menyanyikan", "sanyi"},
	{"menyetujui", "setuju"},
	{"menyelesaikan", "selesai"},
	{"menyusui", "susu"},
	{"memakai", "paka"}, // mem+a -> pa, then -i goes
	{"memukul", "pukul"},
	{"memilih", "pilih"},
	{"mempunyai", "punya"},
	{"memperbaiki", "baik"},
	{"memerintahkan", "perintah"}, // no second-order prefix after mem+e -> pe
	{"mempelajari", "ajar"},
	{"melayani", "layan"},
	{"melalui", "lalu"},

	// peng-, peny-, pem-, pen-.
	{"pengiriman", "irim"},
	{"penggunaan", "guna"},
	{"pengetahuan", "etahu"},
	{"pengecatan", "ecat"},
	{"penyelesaian", "selesai"},
	{"penyaluran", "salur"},
	{"penyakit", "sakit"},
	{"penyuluhan", "suluh"},
	{"pemakaian", "pakai"}, // -an may follow pem-
	{"pemilihan", "pilih"},
	{"pembayaran", "bayar"},
	{"pemerintahan", "perintah"},
	{"pemutihan", "putih"},
	{"pemberitahuan", "itahu"},
	{"pendaftaran", "daftar"},
	{"pencatatan", "catat"},
	{"pendidikan", "didik"},
	{"penduduk", "duduk"},

	// di-, ter-, ke-.
	{"dilaporkan", "lapor"},
	{"ditetapkan", "tetap"},
	{"disetujui", "setuju"},
	{"diajukan", "aju"},
	{"dilayani", "layan"},
	{"dinaikkan", "naik"},
	{"terbuka", "buka"},
	{"terlambat", "lambat"},
	{"tersedia", "sedia"},
	{"terdaftar", "daftar"},
	{"kesehatan", "sehat"},
	{"keterangan", "terang"},
	{"kebijakan", "bijak"},
	{"kedudukan", "duduk"},
	{"kemasukan", "masuk"},
	{"kesempatan", "sempat"},
	{"kemiskinan", "miskin"},
	{"keberadaan", "ada"},
	{"ketahui", "tahui"}, // -i is not removed after ke-

	// ber-, be- (+consonant+er), belajar, per-, pe-, pelajar.
	{"berusaha", "usaha"},
	{"berhenti", "henti"},
	{"berjalan", "jalan"},
	{"bersihkan", "sihkan"}, // ber- used up the measure
	{"bekerja", "kerja"},
	{"beserta", "serta"},
	{"belajar", "ajar"},
	{"pelajar", "ajar"},
	{"pelajaran", "ajar"},
	{"perbaikan", "baik"},
	{"perpanjangan", "panjang"},
	{"pertanyaan", "tanya"},
	{"persetujuan", "setuju"},
	{"perempuan", "empu"},
	{"pekerjaan", "kerja"},
	{"pekerja", "kerja"},
	{"pelapor", "lapor"},

	// Suffixes alone: -kan, -an, -i.
	{"laporkan", "lapor"},
	{"bangunkan", "bangun"},
	{"silakan", "sila"},
	{"jawaban", "jawab"},
	{"layanan", "layan"},
	{"tanggapi", "tanggap"},
	{"sebagai", "sebaga"},

	// Particles -kah, -lah, -pun.
	{"apakah", "apa"},
	{"bagaimanakah", "bagaimana"},
	{"dimanakah", "mana"},
	{"adalah", "ada"},
	{"datanglah", "datang"},
	{"meskipun", "meski"},
	{"walaupun", "walau"},
	{"siapapun", "siapa"},

	// Possessives -ku, -mu, -nya.
	{"bukunya", "buku"},
	{"datanya", "data"},
	{"rumahku", "rumah"},
	{"namaku", "nama"},
	{"alamatmu", "alamat"},
	{"kartumu", "kartu"},
	{"pekerjaannya", "kerja"},

	// Two vowels or fewer: left alone.
	{"buku", "buku"},
	{"sakit", "sakit"},
	{"data", "data"},
	{"ibu", "ibu"},
	{"nasi", "nasi"},
	{"ada", "ada"},
	{"air", "air"},
	{"sehat", "sehat"},
	{"pajak", "pajak"},
	{"obat", "obat"},
	{"izin", "izin"},
}

func TestStem(t *testing.T) {
	for _, c := range stemCases {
		if got := Stem(c.word); got != c.want {
			t.Errorf("Stem(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestStemLeavesOtherInputAlone(t *testing.T) {
	for _, w := range []string{
		"", "a", "Membuat", "membuat!", "pem-bangunan", "kependudukan ", "pendidikan2",
		"pelayanán", "menyelesaikan\x00", "\xff\xfe",
	} {
		if got := Stem(w); got != w {
			t.Errorf("Stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

// stemSink keeps the stems TestStemAllocs makes, so that the compiler cannot
// drop a call whose result is unused and the count stays honest.
var stemSink string

// TestStemAllocs checks that Stem allocates only when the stem begins with
// a letter that replaced a prefix (meny-/peny- -> s, mem-/pem- -> p).
func TestStemAllocs(t *testing.T) {
	for _, c := range []struct {
		word   string
		allocs float64
	}{
		{"kependudukan", 0},
		{"pembuatan", 0},
		{"mempelajari", 0},
		{"bagaimanakah", 0},
		{"menyanyikan", 1},
		{"memakai", 1},
		{"menyelenggarakannyalah", 1},
	} {
		if got := testing.AllocsPerRun(100, func() { stemSink = Stem(c.word) }); got > c.allocs {
			t.Errorf("Stem(%q) made %v allocations, want at most %v", c.word, got, c.allocs)
		}
	}
}

func TestStemConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				for _, c := range stemCases {
					if got := Stem(c.word); got != c.want {
						t.Errorf("Stem(%q) = %q, want %q", c.word, got, c.want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// readStemWords loads testdata/stemwords.txt and checks its form: one
// lowercase a-z word a line, no repeats.
func readStemWords(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/stemwords.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var words []string
	seen := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		w := sc.Text()
		if w == "" || !isStemInput(w) {
			tb.Fatalf("testdata/stemwords.txt:%d: %q is not a lowercase a-z word", line, w)
		}
		if seen[w] {
			tb.Fatalf("testdata/stemwords.txt:%d: %q repeated", line, w)
		}
		seen[w] = true
		words = append(words, w)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return words
}

func isStemInput(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// TestStemMatchesPostgres compares Stem with PostgreSQL's indonesian_stem
// dictionary on every word of testdata/stemwords.txt (and the table
// above). Set PENDOPO_TEST_POSTGRES to a connection URL to run it, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
func TestStemMatchesPostgres(t *testing.T) {
	url := os.Getenv("PENDOPO_TEST_POSTGRES")
	if url == "" {
		t.Skip("PENDOPO_TEST_POSTGRES is not set; set it to a PostgreSQL URL to compare Stem with ts_lexize('indonesian_stem', ...)")
	}
	words := readStemWords(t)
	if len(words) < 1500 {
		t.Errorf("testdata/stemwords.txt has %d words, want at least 1500", len(words))
	}
	inList := make(map[string]bool, len(words))
	for _, w := range words {
		inList[w] = true
	}
	for _, c := range stemCases {
		if !inList[c.word] {
			inList[c.word] = true
			words = append(words, c.word)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatalf("open PostgreSQL at PENDOPO_TEST_POSTGRES: %v", err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("PENDOPO_TEST_POSTGRES is set but PostgreSQL cannot be reached: %v", err)
	}

	// ts_lexize returns the stem as a one-element array; an empty array
	// (NULL first element) would mean a stop word, which the Indonesian
	// dictionary does not have.
	rows, err := db.QueryContext(ctx,
		`SELECT w, (ts_lexize('indonesian_stem', w))[1] FROM unnest($1::text[]) AS w`, words)
	if err != nil {
		t.Fatalf("query ts_lexize: %v", err)
	}
	defer rows.Close()
	checked, agree := 0, 0
	for rows.Next() {
		var w string
		var pg sql.NullString
		if err := rows.Scan(&w, &pg); err != nil {
			t.Fatalf("scan: %v", err)
		}
		checked++
		got := Stem(w)
		switch {
		case !pg.Valid:
			t.Errorf("ts_lexize('indonesian_stem', %q) returned no lexeme (a stop word?); Stem gives %q", w, got)
		case got != pg.String:
			t.Errorf("Stem(%q) = %q, PostgreSQL gives %q", w, got, pg.String)
		default:
			agree++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("rows: %v", err)
	}
	if checked != len(words) {
		t.Fatalf("PostgreSQL returned %d rows for %d words", checked, len(words))
	}
	t.Logf("Stem agrees with PostgreSQL indonesian_stem on %d/%d words", agree, checked)
}

// FuzzStem checks properties that hold for every input:
//   - Stem never panics;
//   - input holding anything but a-z comes back unchanged;
//   - for a-z input the stem is a-z, never empty when the input is not,
//     and either the input itself or strictly shorter (every step only
//     removes text; meny-/peny- -> s and mem-/pem- -> p shrink the word
//     too);
//   - a word with two vowels or fewer is unchanged, and a changed word
//     keeps at least two vowels and never gains one;
//   - the stem is a substring of the input, except that its first letter
//     may be an s or p that replaced a prefix.
func FuzzStem(f *testing.F) {
	for _, c := range stemCases {
		f.Add(c.word)
	}
	for _, w := range []string{
		"", "a", "meny", "menya", "menyy", "memper", "mema", "pempe", "belajar",
		"pelajar", "pelajarkah", "kahlah", "nyanya", "didi", "keke", "bekera",
		"Membuat", "café", "\xff",
	} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		got := Stem(w)
		if !isStemInput(w) {
			if got != w {
				t.Fatalf("Stem(%q) = %q, want non a-z input unchanged", w, got)
			}
			return
		}
		if w != "" && got == "" {
			t.Fatalf("Stem(%q) is empty", w)
		}
		if !isStemInput(got) {
			t.Fatalf("Stem(%q) = %q is not a-z", w, got)
		}
		if got != w && len(got) >= len(w) {
			t.Fatalf("Stem(%q) = %q is changed but not shorter", w, got)
		}
		vin, vout := stemCountVowels(w), stemCountVowels(got)
		if vin <= 2 && got != w {
			t.Fatalf("Stem(%q) = %q changed a word with %d vowels", w, got, vin)
		}
		if got != w && (vout < 2 || vout > vin) {
			t.Fatalf("Stem(%q) = %q has %d vowels (input %d)", w, got, vout, vin)
		}
		if !strings.Contains(w, got) &&
			!((got[0] == 's' || got[0] == 'p') && strings.Contains(w, got[1:])) {
			t.Fatalf("Stem(%q) = %q is not taken from the input", w, got)
		}
	})
}

func stemCountVowels(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isStemVowel(s[i]) {
			n++
		}
	}
	return n
}

func BenchmarkStem(b *testing.B) {
	b.Run("table", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			Stem(stemCases[i%len(stemCases)].word)
			i++
		}
	})
	b.Run("wordlist", func(b *testing.B) {
		words := readStemWords(b)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			Stem(words[i%len(words)])
			i++
		}
	})
}
