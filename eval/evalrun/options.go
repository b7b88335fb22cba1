// Package evalrun runs an evaluation: a dataset's rows through every
// variant (prompt version × model) in one session, each output scored by
// the variant's scorers while the calls go on, everything recorded as log
// entries of a run that can be resumed, and a report computed from what
// the store holds.
package evalrun

import (
	"fmt"
	"strings"
	"time"

	"promptbench/eval"
	"promptbench/eval/report"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// Options say what to evaluate and how.
type Options struct {
	Dataset     string
	Prompts     []string // refs
	Models      []string // provider/model; none: each version's own
	Scorers     []string // added to each version's default scorers
	Concurrency int
	Repeat      int // calls per row and variant; 0 is 1
	Limit       int // first N rows; 0 is all
	Sample      int // a random N rows; 0 is all
	Seed        uint64
	NoCache     bool
	SkipInvalid bool
	Resume      workspace.RunID // run only what this run lacks
	// RerunErrors, with Resume, also runs again the cases whose latest
	// call failed and scores again the outputs a scorer failed on.
	RerunErrors bool
	Shard       Shard         // a 1/N of the rows by id; zero: all
	Gates       []report.Gate // fail_under per scorer and on pass^k
	// ScorerOptions configure the scorers (cmd timeout, judge).
	ScorerOptions scorer.Options
	// Recorded are the flags that shaped the run, kept in its record.
	Recorded map[string]string
	// Events, when set, receives progress as the run goes.
	Events func(Progress)
	Now    func() time.Time // nil: time.Now

	dryRun bool // a key need not be set: nothing is called
}

// Progress is the run's state after one more call or score.
type Progress struct {
	Run      workspace.RunID
	Total    int // calls the run makes (this process)
	Done     int
	Failed   int // calls that ended with a provider error
	Errors   int // scorer errors
	Cost     float64
	Finished bool
}

// BadInputError is input the run refuses before calling anything.
type BadInputError struct{ Msg string }

func (e *BadInputError) Error() string { return e.Msg }

// Unwrap makes it workspace.ErrInvalid: exit code 2.
func (e *BadInputError) Unwrap() error { return workspace.ErrInvalid }

func badInput(format string, args ...any) error {
	return &BadInputError{Msg: fmt.Sprintf(format, args...)}
}

// InvalidRow is a dataset row some variant cannot render.
type InvalidRow struct {
	Line    int
	ID      string
	Variant string
	Missing []string // variables the version needs and the row lacks
	Err     string   // any other render failure
}

func (r InvalidRow) String() string {
	if len(r.Missing) > 0 {
		return fmt.Sprintf("line %d (id %s): %s needs %s", r.Line, r.ID, r.Variant, strings.Join(r.Missing, ", "))
	}
	return fmt.Sprintf("line %d (id %s): %s: %s", r.Line, r.ID, r.Variant, r.Err)
}

// InvalidRowsError refuses a run whose rows do not all render.
type InvalidRowsError struct {
	Dataset string
	Rows    []InvalidRow // at most MaxListed
	Count   int          // rows that failed, in all
}

// MaxListed caps the invalid rows an error lists.
const MaxListed = 20

func (e *InvalidRowsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d row(s) cannot be rendered by every variant; fix them, or pass --skip-invalid to run the others:", e.Dataset, e.Count)
	for _, r := range e.Rows {
		b.WriteString("\n  " + r.String())
	}
	if e.Count > len(e.Rows) {
		fmt.Fprintf(&b, "\n  … and %d more", e.Count-len(e.Rows))
	}
	return b.String()
}

// Unwrap makes it workspace.ErrInvalid: exit code 2.
func (e *InvalidRowsError) Unwrap() error { return workspace.ErrInvalid }

// variantSpec is one variant before the session prepares it.
type variantSpec struct {
	eval.Variant
	prepared *workspace.Prepared
	scorers  []*scorer.Scorer
}

func (o Options) repeat() int { return max(o.Repeat, 1) }

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
