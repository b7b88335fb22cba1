package workspace

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"promptbench/storage"
)

// Problem kinds doctor reports. They are stable: `doctor --json` prints
// them and scripts match on them.
const (
	ProblemImportJournal     = "import-journal"          // an interrupted import not rolled back yet
	ProblemStrayKey          = "stray-key"               // a key that fits no part of the layout
	ProblemPromptUnreadable  = "prompt-unreadable"       // a prompt record that does not decode
	ProblemPromptMissing     = "prompt-missing"          // versions without a prompt record
	ProblemPromptNoVersions  = "prompt-without-versions" // a prompt record without versions
	ProblemPromptField       = "prompt-field"            // a derived field disagrees with the versions
	ProblemVersionMissing    = "version-missing"         // a gap in a prompt's version numbers
	ProblemVersionUnreadable = "version-unreadable"      // a version record that does not decode
	ProblemVersionMisfiled   = "version-misfiled"        // a version whose prompt or number is not its key's
	ProblemVersionParent     = "version-parent"          // a parent number that cannot be
	ProblemHashMismatch      = "hash-mismatch"           // content that no longer hashes to the version's hash
	ProblemVariables         = "version-variables"       // derived variables that disagree with the templates
	ProblemTemplate          = "template-invalid"        // messages that do not parse
	ProblemLabelDangling     = "label-dangling"          // a label naming a version that does not exist
	ProblemIncludeBroken     = "include-broken"          // an include of a latest or labelled version that does not resolve
	ProblemInvalidUTF8       = "invalid-utf8"            // a record holding bytes that are not UTF-8
	ProblemTagDangling       = "tag-index-dangling"      // a tag index entry for a prompt without that tag
	ProblemTagMissing        = "tag-index-missing"       // a prompt's tag absent from the tag index
	ProblemLogEmpty          = "log-empty"               // a log key holding no entry
	ProblemLogUnreadable     = "log-unreadable"          // a log entry that does not decode
	ProblemLogOrphan         = "log-orphan"              // a log entry filed under a version that does not exist
	ProblemLogMismatch       = "log-mismatch"            // a log entry that disagrees with its key or version
	ProblemLogRun            = "log-run-missing"         // a log entry naming a run that does not exist
	ProblemRunUnreadable     = "run-unreadable"          // a run that does not decode
	ProblemRunMismatch       = "run-mismatch"            // a run filed under another id, or naming a version it did not run
	ProblemAuditUnreadable   = "audit-unreadable"        // an audit event that does not decode
	ProblemCacheUnreadable   = "cache-unreadable"        // a cached response that does not decode
)

// AuditRepair is the audit action of a doctor --repair that changed the store.
const AuditRepair = "repair"

// ErrStoreUnopenable marks a store doctor could not open at all.
var ErrStoreUnopenable = errors.New("store cannot be opened")

// Problem is one inconsistency doctor found. Which fields are set depends
// on Kind; Want and Got are what the field should be and what it is.
type Problem struct {
	Kind       string `json:"kind"`
	Prompt     string `json:"prompt,omitempty"`
	Version    int    `json:"version,omitempty"`
	Label      string `json:"label,omitempty"`
	Tag        string `json:"tag,omitempty"`
	ID         string `json:"id,omitempty"` // log entry, run, cache key, audit time, stray key
	Field      string `json:"field,omitempty"`
	Want       string `json:"want,omitempty"`
	Got        string `json:"got,omitempty"`
	Detail     string `json:"detail,omitempty"` // the underlying error, in words
	Count      int    `json:"count,omitempty"`  // how many keys a problem of many covers (the audit trail's copies, the run index)
	Repairable bool   `json:"repairable"`
	Fixed      bool   `json:"fixed"`

	fix func(*storage.Tx) error
	// before are fixes applied ahead of fix: of records that depend on
	// this one (log entries and runs naming a version's hash), or of the
	// other keys of a problem of many, one fix per key so that a repair
	// too large for one transaction can be split between them.
	before []func(*storage.Tx) error
}

// DoctorCounts says how much doctor looked at.
type DoctorCounts struct {
	Prompts         int `json:"prompts"`
	Versions        int `json:"versions"`
	Labels          int `json:"labels"`
	Includes        int `json:"includes"`
	TagEntries      int `json:"tag_entries"`
	LogEntries      int `json:"log_entries"`
	Runs            int `json:"runs"`
	AuditEvents     int `json:"audit_events"`
	AuditCopies     int `json:"audit_copies"` // their time-ordered copies
	RunIndexEntries int `json:"run_index_entries"`
	CachedResponses int `json:"cached_responses"`
}

// DoctorReport is what a check found and, with repair, what it fixed.
type DoctorReport struct {
	NoStore bool // the workspace has no store yet: nothing to check
	// Checked is what the store holds: after a repair, what the check
	// after it counted (a repair adds copies, deletes stray keys, and
	// records an audit event of its own).
	Checked  DoctorCounts
	Problems []Problem // by prompt and version; Fixed marks those repaired
	// Remaining is what a check after the repair still finds (the
	// problems only a person can resolve); without repair, Problems.
	Remaining []Problem
	Warnings  []string
}

// Healthy tells whether nothing is left to fix.
func (r DoctorReport) Healthy() bool { return len(r.Remaining) == 0 }

// storeOpenError is a failure to open the store, which doctor reports as
// such (exit 3) whatever its cause, a lock included.
type storeOpenError struct{ err error }

func (e *storeOpenError) Error() string        { return e.err.Error() }
func (e *storeOpenError) Unwrap() error        { return e.err }
func (e *storeOpenError) Is(target error) bool { return target == ErrStoreUnopenable }

// Doctor checks the store: hashes, prompt records against their versions,
// labels, includes, text encoding, the tag index, log entries, runs, the
// audit trail and the response cache, and a leftover import journal. It
// reads one snapshot of the store opened read-only.
//
// With repair, it then rolls back a leftover import (and checks again),
// applies every fix that loses no data in one durable transaction (split
// only when the store finds it too big), and checks once more for what is
// left. Only the fixes hold the store for writing, so other processes wait
// for milliseconds, not for a check of the whole store; each fix re-reads
// what it depends on inside its transaction, so a change made in between
// is never undone, and a fix done twice changes nothing. Problems only a
// person can resolve are reported, never deleted.
func (ws *Workspace) Doctor(ctx context.Context, repair bool) (DoctorReport, error) {
	var rep DoctorReport
	var err error
	rep.Problems, rep.Checked, err = ws.check(ctx)
	if errors.Is(err, storage.ErrNotExist) {
		return DoctorReport{NoStore: true}, nil
	}
	rep.Remaining = rep.Problems
	if err != nil || !repair || !slices.ContainsFunc(rep.Problems, func(p Problem) bool { return p.Repairable }) {
		return rep, err
	}
	fixed, err := ws.repair(ctx, &rep)
	if err != nil {
		rep.Remaining = unfixed(rep.Problems)
		return rep, err
	}
	if rep.Remaining, rep.Checked, err = ws.check(ctx); err != nil {
		return rep, err
	}
	if fixed > 0 {
		if err := ws.Changed(ctx); err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
		}
	}
	return rep, nil
}

// check opens the store read-only and checks it; ErrNotExist means there
// is no store yet.
func (ws *Workspace) check(ctx context.Context) ([]Problem, DoctorCounts, error) {
	st, err := ws.openForDoctor(ctx, true)
	if err != nil {
		return nil, DoctorCounts{}, err
	}
	defer st.Close()
	return checkStore(ctx, st.Store)
}

// openForDoctor opens the store in this process's turn (store.go) without
// rolling back a leftover import: doctor reports it first.
func (ws *Workspace) openForDoctor(ctx context.Context, readOnly bool) (*heldStore, error) {
	st, err := ws.open(ctx, ws.storeOptions(readOnly))
	if errors.Is(err, storage.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, &storeOpenError{err}
	}
	return st, nil
}

func unfixed(problems []Problem) []Problem {
	var out []Problem
	for _, p := range problems {
		if !p.Fixed {
			out = append(out, p)
		}
	}
	return out
}

// checkStore runs every check on one snapshot of st.
func checkStore(ctx context.Context, st *storage.Store) ([]Problem, DoctorCounts, error) {
	var problems []Problem
	var counts DoctorCounts
	err := st.View(func(tx *storage.Tx) error {
		pending, err := tx.HasJournal()
		if err != nil {
			return err
		}
		if pending {
			problems = append(problems, Problem{Kind: ProblemImportJournal, Repairable: true})
		}
		c := newChecker(ctx, tx)
		if err := c.run(); err != nil {
			return err
		}
		// One prompt's problems together, whichever check found them;
		// the store-wide ones (no prompt) first.
		slices.SortStableFunc(c.problems, func(a, b Problem) int {
			return cmp.Or(strings.Compare(a.Prompt, b.Prompt), cmp.Compare(a.Version, b.Version))
		})
		problems = append(problems, c.problems...)
		counts = c.counts
		return nil
	})
	if err != nil {
		return nil, DoctorCounts{}, fmt.Errorf("doctor: read the store: %w", err)
	}
	return problems, counts, nil
}

// repair rolls back a leftover import first, checking again afterwards
// (the rollback changes what the other checks see), then applies the other
// fixes, and returns how many problems it fixed.
func (ws *Workspace) repair(ctx context.Context, rep *DoctorReport) (int, error) {
	fixed := 0
	if rep.Problems[0].Kind == ProblemImportJournal {
		st, err := ws.openForDoctor(ctx, false)
		if err != nil {
			return 0, err
		}
		err = recoverInterrupted(st.Store)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, fmt.Errorf("repair: roll back the interrupted import: %w", err)
		}
		journal := rep.Problems[0]
		journal.Fixed = true
		fixed++
		rest, counts, err := ws.check(ctx)
		if err != nil {
			return fixed, err
		}
		rep.Problems, rep.Checked = append([]Problem{journal}, rest...), counts
	}
	var ops []func(*storage.Tx) error
	for _, p := range rep.Problems {
		if p.fix != nil {
			ops = append(append(ops, p.before...), p.fix)
		}
	}
	if len(ops) == 0 {
		return fixed, nil
	}
	ev := AuditEvent{Time: ws.opts.Now().UTC(), Author: ws.opts.Author(), Action: AuditRepair, Detail: "repair: " + strconv.Itoa(len(ops)) + " fixes"}
	ops = append(ops, func(tx *storage.Tx) error { return AppendAudit(tx, ev) })
	st, err := ws.openForDoctor(ctx, false)
	if err != nil {
		return fixed, err
	}
	err = NewBatcher(st.Store).commit(ops)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fixed, fmt.Errorf("repair: %w", err)
	}
	for i := range rep.Problems {
		if rep.Problems[i].fix != nil {
			rep.Problems[i].Fixed = true
			fixed++
		}
	}
	return fixed, nil
}
