package catalogio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// CSVColumns are the columns of a services CSV file, in order. List cells
// (requirements, procedure, …) hold one item per line of the cell, as a
// spreadsheet writes multi-line cells; code lists (life_events, channels,
// points) may also be separated by commas or semicolons.
var CSVColumns = []string{
	"slug", "kind", "name", "summary", "agency", "category", "life_events", "channels", "online_url", "points",
	"requirements", "procedure", "duration_working_days", "duration_same_day", "duration_note",
	"fee_type", "fee_amount", "fee_legal_basis", "fee_note", "product", "complaints",
	"legal_basis", "facilities", "competence", "supervision", "staff",
	"service_guarantee", "safety_guarantee", "evaluation", "note",
}

// csvPaths maps a column to the bundle field path it fills.
var csvPaths = map[string]string{
	"duration_working_days": "standard.duration.working_days", "duration_same_day": "standard.duration.same_day",
	"duration_note": "standard.duration.note", "fee_type": "standard.fee.type", "fee_amount": "standard.fee.amount",
	"fee_legal_basis": "standard.fee.legal_basis", "fee_note": "standard.fee.note",
}

func columnPath(col string) string {
	if p, ok := csvPaths[col]; ok {
		return p
	}
	switch col {
	case "slug", "kind", "name", "summary", "agency", "category", "life_events", "channels", "online_url", "points", "note":
		return col
	}
	return "standard." + col
}

// ReadServicesCSV reads a services CSV into a bundle for region; the first
// row must name the columns (in any order; all of CSVColumns are needed
// except note and summary, which may be left out). Errors carry the line.
func ReadServicesCSV(r io.Reader, region string) (pendopo.Bundle, *Locator, error) {
	b := pendopo.Bundle{Format: pendopo.BundleFormat, Region: region}
	loc := &Locator{lines: map[string]int{}}
	cr := csv.NewReader(io.LimitReader(r, MaxFileBytes))
	cr.FieldsPerRecord = -1
	bad := func(line int, field string, msg pendopo.Text) error {
		return &pendopo.Error{Kind: pendopo.KindBadRequest, Msg: pendopo.M("catalogio.the_csv_file_cannot_be"),
			Fields: []pendopo.FieldError{{Field: field, Line: line, Msg: msg}}}
	}
	head, err := cr.Read()
	if err == io.EOF {
		return b, loc, bad(1, "file", pendopo.M("catalogio.the_file_empty"))
	}
	if err != nil {
		return b, loc, csvError(err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := col[h]; dup {
			return b, loc, bad(1, h, pendopo.M("catalogio.column_appears_twice", strconv.Quote(h)))
		}
		col[h] = i
	}
	var missing []string
	for _, c := range CSVColumns {
		if _, ok := col[c]; !ok && c != "note" && c != "summary" {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return b, loc, bad(1, "header", pendopo.M("catalogio.required_columns_are_missing", strings.Join(missing, ", ")))
	}
	for _, known := range head {
		known = strings.TrimSpace(strings.TrimPrefix(known, "\ufeff"))
		if !isColumn(known) {
			return b, loc, bad(1, known, pendopo.M("catalogio.unknown_column", strconv.Quote(known)))
		}
	}
	var probs pendopo.Problems
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return b, loc, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		prefix := fmt.Sprintf("services[%d]", row)
		loc.lines[prefix] = line
		get := func(c string) string {
			i, ok := col[c]
			if !ok || i >= len(rec) {
				return ""
			}
			l, _ := cr.FieldPos(i)
			loc.lines[prefix+"."+columnPath(c)] = l
			return strings.TrimSpace(rec[i])
		}
		var s pendopo.BundleService
		s.Slug, s.Kind, s.Name, s.Summary = get("slug"), get("kind"), get("name"), get("summary")
		s.AgencySlug, s.Category, s.OnlineURL, s.Note = get("agency"), get("category"), get("online_url"), get("note")
		s.LifeEvents = codes(get("life_events"))
		for _, c := range codes(get("channels")) {
			s.Channels = append(s.Channels, pendopo.Channel(c))
		}
		s.Points = codes(get("points"))
		st := &s.Standard
		st.Requirements, st.Procedure = lines(get("requirements")), lines(get("procedure"))
		st.Complaints, st.LegalBasis = lines(get("complaints")), lines(get("legal_basis"))
		st.Facilities, st.Competence = lines(get("facilities")), lines(get("competence"))
		st.Product, st.Supervision, st.Staff = get("product"), get("supervision"), get("staff")
		st.ServiceGuarantee, st.SafetyGuarantee, st.Evaluation = get("service_guarantee"), get("safety_guarantee"), get("evaluation")
		st.Duration.Note = get("duration_note")
		if v := get("duration_working_days"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				probs = append(probs, pendopo.FieldError{Field: prefix + ".standard.duration.working_days", Line: loc.lines[prefix+".standard.duration.working_days"],
					Msg: pendopo.M("catalogio.must_be_whole_number_found", strconv.Quote(v))})
			}
			st.Duration.WorkingDays = n
		}
		switch v := strings.ToLower(get("duration_same_day")); v {
		case "", "false", "tidak", "0", "no":
		case "true", "ya", "1", "yes":
			st.Duration.SameDay = true
		default:
			probs = append(probs, pendopo.FieldError{Field: prefix + ".standard.duration.same_day", Line: loc.lines[prefix+".standard.duration.same_day"],
				Msg: pendopo.M("catalogio.write_yes_no")})
		}
		st.Fee.Type, st.Fee.LegalBasis, st.Fee.Note = pendopo.FeeType(get("fee_type")), get("fee_legal_basis"), get("fee_note")
		if v := strings.NewReplacer(".", "", "Rp", "", " ", "").Replace(get("fee_amount")); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				probs = append(probs, pendopo.FieldError{Field: prefix + ".standard.fee.amount", Line: loc.lines[prefix+".standard.fee.amount"],
					Msg: pendopo.M("catalogio.must_be_rupiah_amount_without", strconv.Quote(v))})
			}
			st.Fee.Amount = n
		}
		b.Services = append(b.Services, s)
	}
	if err := probs.Err(); err != nil {
		return b, loc, err
	}
	if err := b.Validate(); err != nil {
		return b, loc, loc.Annotate(err)
	}
	return b, loc, nil
}

func isColumn(c string) bool {
	for _, k := range CSVColumns {
		if k == c {
			return true
		}
	}
	return false
}

func csvError(err error) error {
	var pe *csv.ParseError
	fe := pendopo.FieldError{Field: "file", Msg: pendopo.M("catalogio.invalid_csv", err.Error())}
	if errors.As(err, &pe) {
		fe.Line = pe.Line
		fe.Msg = pendopo.M("catalogio.invalid_csv", pe.Err.Error())
	}
	return &pendopo.Error{Kind: pendopo.KindBadRequest, Msg: pendopo.M("catalogio.the_csv_file_cannot_be"), Fields: []pendopo.FieldError{fe}}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func codes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
}

// WriteServicesCSV writes the services of a bundle as CSV.
func WriteServicesCSV(w io.Writer, b pendopo.Bundle) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	join := func(l []string) string { return strings.Join(l, "\n") }
	for _, s := range b.Services {
		st := s.Standard
		days := ""
		if !st.Duration.SameDay {
			days = strconv.Itoa(st.Duration.WorkingDays)
		}
		same := "tidak"
		if st.Duration.SameDay {
			same = "ya"
		}
		channels := make([]string, len(s.Channels))
		for i, c := range s.Channels {
			channels[i] = string(c)
		}
		amount := ""
		if st.Fee.Amount != 0 {
			amount = strconv.FormatInt(st.Fee.Amount, 10)
		}
		rec := []string{s.Slug, s.Kind, s.Name, s.Summary, s.AgencySlug, s.Category, strings.Join(s.LifeEvents, ";"), strings.Join(channels, ";"),
			s.OnlineURL, strings.Join(s.Points, ";"), join(st.Requirements), join(st.Procedure), days, same, st.Duration.Note,
			string(st.Fee.Type), amount, st.Fee.LegalBasis, st.Fee.Note, st.Product, join(st.Complaints),
			join(st.LegalBasis), join(st.Facilities), join(st.Competence), st.Supervision, st.Staff,
			st.ServiceGuarantee, st.SafetyGuarantee, st.Evaluation, s.Note}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
