package pendopo

import (
	"fmt"
	"strings"
)

// WorkflowStep is one stage an application passes at the responsible
// agency, acted on by holders of one role there.
type WorkflowStep struct {
	Key  string   `json:"key"`
	Name Text     `json:"name"`
	Role RoleKind `json:"role"`
}

// Workflow is the steps of an online service, in order. Like the form it
// belongs to the service's content and is versioned with it.
type Workflow struct {
	Steps []WorkflowStep `json:"steps"`
}

// DefaultWorkflow is the usual path of a regional service: the officer
// checks the documents and processes the request, the head approves, and
// the officer issues the result.
func DefaultWorkflow() Workflow {
	return Workflow{Steps: []WorkflowStep{
		{"verifikasi", M("rule.document_check"), RoleOfficer},
		{"pemrosesan", M("rule.processing"), RoleOfficer},
		{"persetujuan", M("rule.head_approval"), RoleSupervisor},
		{"penerbitan", M("rule.issuing"), RoleOfficer},
	}}
}

// Validate checks a workflow: one to ten steps with unique keys, names,
// and roles of the agency.
func (w Workflow) Validate() error {
	var p Problems
	if len(w.Steps) == 0 || len(w.Steps) > 10 {
		p.Add("workflow.steps", M("rule.a_workflow_needs_1_10"))
	}
	seen := map[string]bool{}
	for i, st := range w.Steps {
		at := fmt.Sprintf("workflow.steps[%d]", i)
		if !fieldKeyRE.MatchString(st.Key) || seen[st.Key] {
			p.Add(at+".key", M("rule.step_keys_are_lower_case"))
		}
		seen[st.Key] = true
		if strings.TrimSpace(st.Name.Indonesian) == "" || len(st.Name.Indonesian) > 100 || !ValidText(st.Name.Indonesian) || !ValidText(st.Name.English) {
			p.Add(at+".name", M("rule.every_step_needs_name_at"))
		}
		if st.Role != RoleOfficer && st.Role != RoleSupervisor && st.Role != RoleAgencyAdmin {
			p.Add(at+".role", M("rule.a_step_done_by_officer"))
		}
	}
	return p.Err()
}

// ApplicationStatus is where an application stands.
type ApplicationStatus string

// Application statuses. Only in_progress runs the service-level clock;
// returned waits on the applicant and pauses it.
const (
	StatusDraft      ApplicationStatus = "draft"
	StatusInProgress ApplicationStatus = "in_progress"
	StatusReturned   ApplicationStatus = "returned"
	StatusRejected   ApplicationStatus = "rejected"
	StatusCompleted  ApplicationStatus = "completed"
	StatusWithdrawn  ApplicationStatus = "withdrawn"
)

// Final reports whether nothing more happens to an application.
func (s ApplicationStatus) Final() bool {
	return s == StatusRejected || s == StatusCompleted || s == StatusWithdrawn
}

// ApplicationAction is something done to an application.
type ApplicationAction string

// Actions: the applicant submits, resubmits after a return and may
// withdraw before a decision; officers approve a step, return it for
// correction, reject it, or hand it to a colleague.
const (
	ActSubmit   ApplicationAction = "submit"
	ActResubmit ApplicationAction = "resubmit"
	ActWithdraw ApplicationAction = "withdraw"
	ActApprove  ApplicationAction = "approve"
	ActReturn   ApplicationAction = "return"
	ActReject   ApplicationAction = "reject"
	ActReassign ApplicationAction = "reassign"
)

// ByApplicant reports whether the applicant, not an officer, does a.
func (a ApplicationAction) ByApplicant() bool {
	return a == ActSubmit || a == ActResubmit || a == ActWithdraw
}

// ApplicationState is an application's place in its workflow.
type ApplicationState struct {
	Status ApplicationStatus `json:"status"`
	// Step indexes the workflow step in progress or returned from.
	Step int `json:"step"`
}

var errBadTransition = Errorf(KindConflict, M("rule.that_action_not_possible_at"))

// Next is the state after action a, or an error when a is not allowed
// now. Returning needs a note and rejecting a reason, because the
// applicant must learn what to fix or why.
func (w Workflow) Next(s ApplicationState, a ApplicationAction, note string) (ApplicationState, error) {
	if (a == ActReturn || a == ActReject) && strings.TrimSpace(note) == "" {
		var p Problems
		msg := M("rule.write_what_applicant_needs_fix")
		if a == ActReject {
			msg = M("rule.write_reason_for_refusing")
		}
		p.Add("note", msg)
		return s, p.Err()
	}
	switch {
	case s.Status == StatusDraft && a == ActSubmit:
		return ApplicationState{Status: StatusInProgress}, nil
	case s.Status == StatusReturned && a == ActResubmit:
		return ApplicationState{Status: StatusInProgress, Step: s.Step}, nil
	case (s.Status == StatusDraft || s.Status == StatusReturned) && a == ActWithdraw:
		return ApplicationState{Status: StatusWithdrawn, Step: s.Step}, nil
	case s.Status == StatusInProgress && a == ActApprove:
		if s.Step+1 >= len(w.Steps) {
			return ApplicationState{Status: StatusCompleted, Step: s.Step}, nil
		}
		return ApplicationState{Status: StatusInProgress, Step: s.Step + 1}, nil
	case s.Status == StatusInProgress && a == ActReturn:
		return ApplicationState{Status: StatusReturned, Step: s.Step}, nil
	case s.Status == StatusInProgress && a == ActReject:
		return ApplicationState{Status: StatusRejected, Step: s.Step}, nil
	case s.Status == StatusInProgress && a == ActReassign:
		return s, nil
	}
	return s, errBadTransition
}
