package pendopo

import "testing"

func TestWorkflowValidate(t *testing.T) {
	if err := DefaultWorkflow().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]Workflow{
		"no steps":       {},
		"duplicate keys": {Steps: []WorkflowStep{{"a", T("A", ""), RoleOfficer}, {"a", T("B", ""), RoleOfficer}}},
		"no name":        {Steps: []WorkflowStep{{"a", T("", ""), RoleOfficer}}},
		"citizen role":   {Steps: []WorkflowStep{{"a", T("A", ""), "citizen"}}},
		"region admin":   {Steps: []WorkflowStep{{"a", T("A", ""), RoleRegionAdmin}}},
	} {
		if err := w.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestTransitions walks every action from every status of a two-step
// workflow.
func TestTransitions(t *testing.T) {
	w := Workflow{Steps: []WorkflowStep{{"periksa", T("Periksa", ""), RoleOfficer}, {"setuju", T("Setuju", ""), RoleSupervisor}}}
	st := func(s ApplicationStatus, step int) ApplicationState { return ApplicationState{Status: s, Step: step} }
	ok := map[ApplicationState]map[ApplicationAction]ApplicationState{
		st(StatusDraft, 0):      {ActSubmit: st(StatusInProgress, 0), ActWithdraw: st(StatusWithdrawn, 0)},
		st(StatusInProgress, 0): {ActApprove: st(StatusInProgress, 1), ActReturn: st(StatusReturned, 0), ActReject: st(StatusRejected, 0), ActReassign: st(StatusInProgress, 0)},
		st(StatusInProgress, 1): {ActApprove: st(StatusCompleted, 1), ActReturn: st(StatusReturned, 1), ActReject: st(StatusRejected, 1), ActReassign: st(StatusInProgress, 1)},
		st(StatusReturned, 1):   {ActResubmit: st(StatusInProgress, 1), ActWithdraw: st(StatusWithdrawn, 1)},
		st(StatusRejected, 0):   {},
		st(StatusCompleted, 1):  {},
		st(StatusWithdrawn, 0):  {},
	}
	actions := []ApplicationAction{ActSubmit, ActResubmit, ActWithdraw, ActApprove, ActReturn, ActReject, ActReassign}
	for from, allowed := range ok {
		for _, a := range actions {
			got, err := w.Next(from, a, "catatan")
			want, isOK := allowed[a]
			switch {
			case isOK && (err != nil || got != want):
				t.Errorf("%v %s: %v %v, want %v", from, a, got, err, want)
			case !isOK && err == nil:
				t.Errorf("%v %s: allowed, to %v", from, a, got)
			case !isOK && KindOf(err) != KindConflict:
				t.Errorf("%v %s: %v, want a conflict", from, a, err)
			}
		}
	}
	// Returning and rejecting need a note.
	for _, a := range []ApplicationAction{ActReturn, ActReject} {
		if _, err := w.Next(st(StatusInProgress, 0), a, "  "); KindOf(err) != KindInvalid {
			t.Errorf("%s without a note: %v", a, err)
		}
	}
	if !StatusCompleted.Final() || StatusReturned.Final() || !ActResubmit.ByApplicant() || ActApprove.ByApplicant() {
		t.Error("status or action classes")
	}
}
