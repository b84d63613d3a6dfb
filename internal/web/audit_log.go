package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/httpx"
)

// The audit log's public side: signed checkpoints, the key that checks
// them, and proofs, for anyone (a province, the Ministry, a journalist, a
// cron job) to keep and check. They carry hashes and sizes only, never an
// entry, and need no sign-in. Entry N is the tree's leaf N-1.

// auditText answers plain text that anyone may fetch, from any origin.
func auditText(w http.ResponseWriter, body []byte, maxAge string) error {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "public, max-age="+maxAge)
	h.Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(body)
	return err
}

// auditJSON answers a proof as JSON. A proof between fixed sizes never
// changes, so it may be kept as long as anyone likes.
func auditJSON(w http.ResponseWriter, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Access-Control-Allow-Origin", "*")
	_, err = w.Write(append(b, '\n'))
	return err
}

// auditFail answers an error of the audit endpoints as one line of text
// in both languages, for the programs that read them.
func (s *Server) auditFail(w http.ResponseWriter, r *http.Request, err error) {
	ue := httpx.UserError(err)
	status := httpx.Status(ue.Kind)
	if status >= 500 {
		s.log.Error("request failed", "err", err, "path", r.URL.Path, "request_id", httpx.RequestID(r.Context()))
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	io.WriteString(w, ue.Msg.Indonesian+" / "+ue.Msg.English+"\n")
}

// auditHandler turns an audit endpoint into a handler that answers its
// own errors as text.
func (s *Server) auditHandler(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := h(w, r); err != nil {
			s.auditFail(w, r, err)
		}
		return nil
	}
}

var errAuditNumber = pendopo.Errorf(pendopo.KindBadRequest, pendopo.M("web.entry_numbers_tree_sizes_are"))

// auditNumber reads a path parameter that must be a whole number of
// digits only, from 1.
func auditNumber(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	if v == "" || len(v) > 18 {
		return 0, errAuditNumber
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, errAuditNumber
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, errAuditNumber
	}
	return n, nil
}

// auditCheckpoint serves the latest signed checkpoint.
func (s *Server) auditCheckpoint(w http.ResponseWriter, r *http.Request) error {
	msg, err := s.app.AuditCheckpoint(r.Context())
	if err != nil {
		return err
	}
	return auditText(w, msg, "60")
}

// auditKey serves the verifier key of the checkpoints.
func (s *Server) auditKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.app.AuditVerifierKey(r.Context())
	if err != nil {
		return err
	}
	return auditText(w, []byte(k+"\n"), "3600")
}

// auditLeaf serves the leaf hash of one entry.
func (s *Server) auditLeaf(w http.ResponseWriter, r *http.Request) error {
	n, err := auditNumber(r, "entry")
	if err != nil {
		return err
	}
	h, err := s.app.AuditLeaf(r.Context(), n)
	if err != nil {
		return err
	}
	return auditJSON(w, struct {
		Entry    int64  `json:"entry"`
		LeafHash string `json:"leaf_hash"`
	}{n, h.String()})
}

// auditInclusion proves that an entry is in the tree of a size.
func (s *Server) auditInclusion(w http.ResponseWriter, r *http.Request) error {
	n, err := auditNumber(r, "entry")
	if err != nil {
		return err
	}
	size, err := auditNumber(r, "size")
	if err != nil {
		return err
	}
	p, err := s.app.AuditInclusion(r.Context(), n, size)
	if err != nil {
		return err
	}
	return auditJSON(w, p)
}

// auditConsistency proves that the tree of one size begins with the tree
// of a smaller one.
func (s *Server) auditConsistency(w http.ResponseWriter, r *http.Request) error {
	old, err := auditNumber(r, "old")
	if err != nil {
		return err
	}
	size, err := auditNumber(r, "new")
	if err != nil {
		return err
	}
	p, err := s.app.AuditConsistency(r.Context(), old, size)
	if err != nil {
		return err
	}
	return auditJSON(w, p)
}
