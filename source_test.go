package watcher

import "testing"

func TestRunReportFailed(t *testing.T) {
	r := RunReport{Sources: []SourceReport{
		{SourceID: "ok"},
		{SourceID: "down", ErrClass: ErrNetwork},
		{SourceID: "gone", ErrClass: ErrHTTP},
		{SourceID: "stopped", ErrClass: ErrCanceled}, // the run was stopped: not the source's failure
	}}
	if got := r.Failed(); got != 2 {
		t.Errorf("Failed() = %d, want 2", got)
	}
}
