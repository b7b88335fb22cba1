package eval

import "promptbench/workspace"

// SessionEvent is what Session.Run delivers. For every variant × case the
// session either skips it (Skipped) or calls it (Started, any Deltas, then
// Finished); Finished entries reach the store later, announced by Recorded
// (or FlushFailed). The channel closes after the last flush.
type SessionEvent interface{ sessionEvent() }

// Started is a call about to be made (or served from the cache).
type Started struct {
	Variant  string
	Case     Case
	Rendered workspace.Rendered
}

// Streamed is a piece of a call's streamed output.
type Streamed struct {
	Variant string
	Case    workspace.CaseID
	Repeat  int
	Text    string
}

// Finished is a call that ended, well or not (Result.Err). Entry is its log
// entry, ID included, not yet in the store: wait for Recorded before
// scoring it.
type Finished struct {
	Variant  string
	Case     Case
	Result   Result
	Entry    workspace.LogEntry
	CacheErr error // the cache failed to read; the result stands
}

// Skipped is a variant × case that was not called: its render failed
// (Err), or its variant or the session was cancelled before it started.
type Skipped struct {
	Variant string
	Case    Case
	Err     error
}

// LogRef names a recorded log entry.
type LogRef struct {
	Variant string
	Case    workspace.CaseID
	Repeat  int
	Prompt  string
	Version int
	ID      string
}

// Recorded announces log entries now durably in the store.
type Recorded struct{ Logs []LogRef }

// FlushFailed is a batch the store refused. Unless Final, the session keeps
// the batch and tries again with the next one; a Final failure means Logs
// were not recorded.
type FlushFailed struct {
	Err   error
	Logs  []LogRef
	Final bool
}

func (Started) sessionEvent()     {}
func (Streamed) sessionEvent()    {}
func (Finished) sessionEvent()    {}
func (Skipped) sessionEvent()     {}
func (Recorded) sessionEvent()    {}
func (FlushFailed) sessionEvent() {}
