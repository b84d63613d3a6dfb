package pendopo

import (
	"strings"
	"testing"
	"time"
)

func TestNextReport(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	st := func(s ReportStatus) ReportState { return ReportState{Status: s} }
	tests := []struct {
		name   string
		kind   ReportKind
		from   ReportState
		action ReportAction
		note   string
		closed time.Time
		want   ReportStatus
		err    ErrorKind
	}{
		{"verify", ReportComplaint, st(ReportReceived), ActReportVerify, "", now, ReportVerified, ""},
		{"verify twice", ReportComplaint, st(ReportVerified), ActReportVerify, "", now, "", KindConflict},
		{"dispose at once", ReportComplaint, st(ReportReceived), ActReportDispose, "", now, ReportDisposed, ""},
		{"dispose after verify", ReportComplaint, st(ReportVerified), ActReportDispose, "", now, ReportDisposed, ""},
		{"reject needs a reason", ReportComplaint, st(ReportReceived), ActReportReject, " ", now, "", KindInvalid},
		{"reject", ReportComplaint, st(ReportReceived), ActReportReject, "bukan pelayanan publik", now, ReportRejected, ""},
		{"archive", ReportAspiration, st(ReportVerified), ActReportArchive, "sudah ditangani", now, ReportArchived, ""},
		{"no rejecting after disposition", ReportComplaint, st(ReportDisposed), ActReportReject, "x", now, "", KindConflict},
		{"forward", ReportComplaint, st(ReportDisposed), ActReportForward, "kewenangan provinsi", now, ReportDisposed, ""},
		{"forward needs a reason", ReportComplaint, st(ReportDisposed), ActReportForward, "", now, "", KindInvalid},
		{"answer", ReportComplaint, st(ReportDisposed), ActReportAnswer, "Lampu sudah diganti.", now, ReportFollowed, ""},
		{"answer before disposition", ReportComplaint, st(ReportReceived), ActReportAnswer, "x", now, "", KindConflict},
		{"complete", ReportComplaint, st(ReportFollowed), ActReportComplete, "", now, ReportDone, ""},
		{"complete unanswered", ReportComplaint, st(ReportDisposed), ActReportComplete, "", now, "", KindConflict},
		{"rate", ReportComplaint, st(ReportDone), ActReportRate, "", now, ReportDone, ""},
		{"rate too early", ReportComplaint, st(ReportFollowed), ActReportRate, "", now, "", KindConflict},
		{"reopen in time", ReportComplaint, st(ReportDone), ActReportReopen, "Lampu mati lagi.", now.AddDate(0, 0, -9), ReportDisposed, ""},
		{"reopen too late", ReportComplaint, st(ReportDone), ActReportReopen, "Lampu mati lagi.", now.AddDate(0, 0, -11), "", KindConflict},
		{"reply", ReportComplaint, st(ReportDisposed), ActReportReply, "Terima kasih.", now, ReportDisposed, ""},
		{"reply to a rejected report", ReportComplaint, st(ReportRejected), ActReportReply, "x", now, "", KindConflict},
		{"extend an information request", ReportInfoRequest, st(ReportDisposed), ActReportExtend, "dokumen di arsip", now, ReportDisposed, ""},
		{"extend twice", ReportInfoRequest, ReportState{Status: ReportDisposed, Extended: true}, ActReportExtend, "lagi", now, "", KindConflict},
		{"extend a complaint", ReportComplaint, st(ReportDisposed), ActReportExtend, "x", now, "", KindConflict},
		{"merge", ReportComplaint, st(ReportVerified), ActReportMerge, "", now, ReportDone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NextReport(tt.kind, tt.from, tt.action, tt.note, tt.closed, now)
			if (err == nil) != (tt.err == "") || err != nil && KindOf(err) != tt.err {
				t.Fatalf("error %v, want kind %q", err, tt.err)
			}
			if err == nil && got.Status != tt.want {
				t.Errorf("status %s, want %s", got.Status, tt.want)
			}
			if err != nil && got != tt.from {
				t.Errorf("a refused action changed the state to %+v", got)
			}
		})
	}
	if got, _ := NextReport(ReportInfoRequest, st(ReportDisposed), ActReportExtend, "arsip", now, now); !got.Extended {
		t.Error("the extension is not recorded")
	}
}

func TestReportInputValidate(t *testing.T) {
	lat, lng := -6.99, 110.42 // Kota Semarang
	far := 3.59               // Medan's latitude
	semarang := &Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}
	good := func() ReportInput {
		return ReportInput{Kind: ReportComplaint, Title: "Lampu jalan mati", Description: "Lampu jalan di depan SD Pandanaran mati sejak seminggu.",
			Category: "penerangan-jalan", Location: ReportLocation{Lat: &lat, Lng: &lng}, Privacy: PrivacyAnonymous, Contact: "warga@contoh.id"}
	}
	if in := good(); in.Validate(semarang, false) != nil {
		t.Fatalf("a good report: %v", in.Validate(semarang, false))
	}
	tests := []struct {
		name     string
		change   func(*ReportInput)
		signedIn bool
		field    string
	}{
		{"no kind", func(in *ReportInput) { in.Kind = "" }, false, "kind"},
		{"short title", func(in *ReportInput) { in.Title = "x" }, false, "title"},
		{"long description", func(in *ReportInput) { in.Description = strings.Repeat("a", MaxReportDescription+1) }, false, "description"},
		{"unknown category", func(in *ReportInput) { in.Category = "ufo" }, false, "category"},
		{"pin outside the region", func(in *ReportInput) { in.Location.Lat = &far }, false, "location"},
		{"half a pin", func(in *ReportInput) { in.Location.Lng = nil }, false, "location"},
		{"located category without a place", func(in *ReportInput) { in.Location = ReportLocation{} }, false, "location"},
		{"component without a service", func(in *ReportInput) { in.Component = "fee" }, false, "component"},
		{"internal component", func(in *ReportInput) { in.ServiceID, in.Component = 5, "staff" }, false, "component"},
		{"no privacy choice", func(in *ReportInput) { in.Privacy = "" }, false, "privacy"},
		{"no contact without an account", func(in *ReportInput) { in.Contact = "" }, false, "contact"},
		{"a bad contact", func(in *ReportInput) { in.Contact = "bukan-kontak" }, true, "contact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.change(&in)
			err := in.Validate(semarang, tt.signedIn)
			if err == nil || !strings.Contains(err.Error(), tt.field+":") {
				t.Errorf("want a problem on %s, got %v", tt.field, err)
			}
		})
	}
	// Signed in, no contact is needed; an address replaces a pin.
	in := good()
	in.Contact, in.Location = "", ReportLocation{Address: "Jl. Pandanaran 1"}
	if err := in.Validate(semarang, true); err != nil {
		t.Errorf("signed in with an address: %v", err)
	}
	fee := good()
	fee.ServiceID, fee.Component = 7, "fee"
	if fee.Validate(nil, false) != nil || !fee.PossiblePungli() || good().PossiblePungli() {
		t.Error("a fee above the tariff should be flagged as possible pungli")
	}
}

func TestReportDue(t *testing.T) {
	cal := NewCalendar(nil, "33.74")
	fri := DateDay(2026, 11, 27)
	mon := DateDay(2026, 11, 30)
	st := func(s ReportStatus, ext bool) ReportState { return ReportState{Status: s, Extended: ext} }
	tests := []struct {
		name string
		kind ReportKind
		s    ReportState
		want Day
	}{
		{"verify within 3 working days", ReportComplaint, st(ReportReceived, false), DateDay(2026, 12, 2)},
		{"follow up within 5 working days of disposition", ReportComplaint, st(ReportDisposed, false), DateDay(2026, 12, 7)},
		{"information within 10 working days", ReportInfoRequest, st(ReportDisposed, false), DateDay(2026, 12, 11)},
		{"information extended by 7", ReportInfoRequest, st(ReportDisposed, true), DateDay(2026, 12, 22)},
		{"answered: nothing due", ReportComplaint, st(ReportFollowed, false), 0},
		{"closed: nothing due", ReportComplaint, st(ReportDone, false), 0},
	}
	for _, tt := range tests {
		if got := ReportDue(tt.kind, tt.s, fri, mon, cal); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestJoiningRole: the role that makes a region joined is the one role
// scoped to a region that may coordinate its reports (verify and
// dispose them), so that a joined region always has someone to do so.
func TestJoiningRole(t *testing.T) {
	for _, k := range RoleKinds {
		if k.Kind == RoleNationalAdmin {
			continue // anywhere, but nobody's coordinator
		}
		r := Role{Kind: k.Kind, Region: "33.74", Agency: "dishub"}
		if k.Kind == RoleRegionAdmin {
			r.Agency = ""
		} else if k.Kind == RoleOverseer {
			r.Region, r.Agency = "33", ""
		}
		if got, want := r.Allows(ActCoordinateReports, Scope{Region: "33.74"}), k.Kind == JoiningRole; got != want {
			t.Errorf("%s coordinates reports: %v, but JoiningRole is %s", k.Kind, got, JoiningRole)
		}
	}
}

func TestRouteReportByKecamatan(t *testing.T) {
	lat, lng := -7.05, 110.44
	r := Report{Category: "jalan", Location: ReportLocation{Lat: &lat, Lng: &lng}}
	box := Bounds{South: -7.1, West: 110.4, North: -7.0, East: 110.5}
	routes := map[string]string{"jalan": "disperkim"}
	tests := []struct {
		name     string
		district string
		areas    []ReportAreaRoute
		want     string
	}{
		{"the kecamatan's rule", "33.74.10", []ReportAreaRoute{{District: "33.74.10", Agency: "kec-tembalang"}}, "kec-tembalang"},
		{"another kecamatan's rule", "33.74.11", []ReportAreaRoute{{District: "33.74.10", Agency: "kec-tembalang"}}, "disperkim"},
		{"kecamatan unknown", "", []ReportAreaRoute{{District: "33.74.10", Agency: "kec-tembalang"}}, "disperkim"},
		{"a box rule before it", "33.74.10", []ReportAreaRoute{{Area: box, Agency: "upt"}, {District: "33.74.10", Agency: "kec-tembalang"}}, "upt"},
		{"a rule of another category", "33.74.10", []ReportAreaRoute{{District: "33.74.10", Category: "sampah", Agency: "kec-tembalang"}}, "disperkim"},
		// A rule by kecamatan has no box: its zero box holds no pin.
		{"zero box", "", []ReportAreaRoute{{District: "33.74.10", Agency: "kec-tembalang"}}, "disperkim"},
	}
	for _, tt := range tests {
		if got := RouteReport(r, tt.district, tt.areas, routes); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	for code, want := range map[string]bool{"33.74.10": true, "33.74.1": false, "33.741.0": false, "33.22.10": false, "33.74.10.1001": false, "33.74.ab": false} {
		if got := IsDistrictOf(code, "33.74"); got != want {
			t.Errorf("IsDistrictOf(%q, 33.74) = %v", code, got)
		}
	}
	rule := ReportAreaRoute{Region: "33.74", Name: "Tembalang", District: "33.74.10", Area: box, Agency: "kec-tembalang"}
	if err := rule.Validate(); err != nil || rule.Area != (Bounds{}) {
		t.Errorf("a rule by kecamatan: %v, box %+v kept", err, rule.Area)
	}
	rule.District = "33.22.10"
	if err := rule.Validate(); KindOf(err) != KindInvalid {
		t.Errorf("another region's kecamatan: %v", err)
	}
}
