// Command ceiling serves one fixed page of about 20 KB with nothing but
// net/http, gzipped for clients that ask, as scripts/load.sh's yardstick:
// what this machine can answer at that moment, measured in the same run
// as the portal so that a noisy machine moves both.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"log"
	"net/http"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8099", "address to listen on")
	size := flag.Int("size", 20<<10, "size of the page in bytes")
	flag.Parse()
	// Words drawn by a fixed sequence, so that the page compresses about
	// as well as the portal's pages do (some 4 to 1).
	words := strings.Fields("layanan persyaratan alur jangka waktu biaya dasar hukum kartu keluarga akta kelahiran " +
		"surat keterangan izin usaha pajak daerah kecamatan kelurahan dinas kependudukan pencatatan sipil hari kerja " +
		"gratis formulir fotokopi asli pemohon petugas loket pengaduan rekomendasi sertifikat bangunan sekolah")
	var b strings.Builder
	b.WriteString("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Batas atas</title></head><body><main>\n")
	x := uint32(1)
	for i := 0; b.Len() < *size-40; i++ {
		b.WriteString("<p id=\"p" + strconv.Itoa(i) + "\">")
		for range 12 {
			x = x*1664525 + 1013904223
			b.WriteString(words[int(x>>16)%len(words)] + " ")
		}
		b.WriteString("</p>\n")
	}
	b.WriteString("</main></body></html>\n")
	page := []byte(b.String())
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	zw.Write(page)
	zw.Close()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
			return
		}
		w.Write(page)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
