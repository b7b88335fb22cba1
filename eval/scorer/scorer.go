// Package scorer turns scorer specs ("contains:refund", "similarity:0.8",
// "cmd:./grade.py") into scorers and scores one model output with them.
//
// A score has a value and, for every built-in scorer, a pass/fail. A
// scorer that cannot score (a broken program, a judge reply that is not
// the promised JSON, a row without the expected value it needs) returns an
// *Error: that is a scorer error, counted apart from failures and never a
// zero score.
package scorer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"promptbench/workspace"
)

// Case is the dataset row being scored.
type Case struct {
	ID       string         `json:"id"`
	Vars     map[string]any `json:"vars"`
	Expected any            `json:"expected"`
}

// Variant is the prompt version and model that produced the output.
type Variant struct {
	Prompt  string `json:"prompt"`
	Version int    `json:"version"`
	Hash    string `json:"hash"`
	Model   string `json:"model"`
}

// Input is one model call to score.
type Input struct {
	Case      Case
	Variant   Variant
	Messages  []workspace.Message // the rendered request; a judge sees it as {{input}}
	Output    string
	Latency   time.Duration
	TokensIn  int
	TokensOut int
	CostUSD   float64
}

// Result is a score: Value, Pass (nil when the scorer gives only a
// number, as a cmd scorer may) and the reason, said mostly on failure.
type Result struct {
	Value  float64
	Pass   *bool
	Reason string
	Judge  *JudgeInfo // for judge scorers: who judged
}

// Error is a scorer error: the scorer could not score this output.
type Error struct {
	Spec   string
	Msg    string
	Stderr string // a cmd scorer's last line of stderr, if any
	Err    error  // the cause, when there is one: a judge call's provider error
}

// Unwrap lets a front end tell a judge's provider failure from a bad reply.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	s := fmt.Sprintf("scorer %s: %s", e.Spec, e.Msg)
	if e.Stderr != "" {
		s += ": " + e.Stderr
	}
	return s
}

// SpecError is a spec that cannot be used: a schema file that does not
// compile, a judge rubric that does not exist. It is workspace.ErrInvalid.
type SpecError struct {
	Spec string
	Msg  string
}

func (e *SpecError) Error() string { return fmt.Sprintf("scorer %q: %s", e.Spec, e.Msg) }

// Unwrap lets front ends treat a bad spec as the bad input it is.
func (e *SpecError) Unwrap() error { return workspace.ErrInvalid }

// Options is what scorers need beyond their spec.
type Options struct {
	// Dir is where relative json-schema files and cmd programs resolve
	// (the suite file's folder) and where cmd programs run; "" is the
	// working directory.
	Dir string
	// CmdTimeout limits each run of a cmd scorer; 0 is 30 seconds.
	CmdTimeout time.Duration
	// Rubric resolves a judge spec's rubric prompt; nil refuses judge specs.
	Rubric func(ctx context.Context, ref string) (*workspace.Prepared, error)
	// Judge calls the judge model; nil refuses judge specs.
	Judge Judge
	// JudgeModel overrides the rubric version's own model ("" keeps it).
	JudgeModel string
}

// DefaultCmdTimeout is how long a cmd scorer may run by default.
const DefaultCmdTimeout = 30 * time.Second

// Scorer scores outputs for one spec.
type Scorer struct {
	spec          workspace.ScorerSpec
	needsExpected bool
	score         func(ctx context.Context, in Input) (Result, error)
}

// Spec is the parsed spec the scorer was made from.
func (s *Scorer) Spec() workspace.ScorerSpec { return s.spec }

// Instant says whether the scorer only computes (no program to start, no
// model to call): an evaluation runs it where the output arrives, so that
// its score is written with the log entry instead of rewriting it later.
func (s *Scorer) Instant() bool { return s.spec.Kind != "cmd" && s.spec.Kind != "judge" }

// NeedsExpected says whether every row must carry an expected value
// (exact, similarity): a front end can check the dataset before calling.
func (s *Scorer) NeedsExpected() bool { return s.needsExpected }

// Score scores one output. The error is an *Error (a scorer error), or the
// context's error when ctx ended first (the run was interrupted: nothing
// to record).
func (s *Scorer) Score(ctx context.Context, in Input) (Result, error) {
	if s.needsExpected && in.Case.Expected == nil {
		return Result{}, s.errorf("row %s has no expected value to compare with", in.Case.ID)
	}
	r, err := s.score(ctx, in)
	if err != nil && ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	return r, err
}

func (s *Scorer) errorf(format string, args ...any) *Error {
	return &Error{Spec: s.spec.Spec, Msg: fmt.Sprintf(format, args...)}
}

// New builds the scorer for spec, checking everything that can be checked
// before the first call: the spec's syntax (workspace.ParseScorer), that a
// JSON schema compiles, that a judge rubric exists.
func New(ctx context.Context, spec string, opt Options) (*Scorer, error) {
	ps, err := workspace.ParseScorer(spec)
	if err != nil {
		return nil, err
	}
	s := &Scorer{spec: ps}
	switch ps.Kind {
	case "exact":
		s.needsExpected, s.score = true, s.exact
	case "contains", "icontains", "not-contains":
		s.score = s.contains
	case "regex":
		s.score = s.regex
	case "json":
		s.score = s.json
	case "json-schema":
		err = s.buildSchema(opt)
	case "similarity":
		s.needsExpected, s.score = true, s.similarity
	case "max-latency":
		s.score = s.maxLatency
	case "max-cost":
		s.score = s.maxCost
	case "cmd":
		s.buildCmd(opt)
	case "judge":
		err = s.buildJudge(ctx, opt)
	default:
		err = &SpecError{Spec: spec, Msg: "no scorer for kind " + ps.Kind}
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// resolve makes a relative path relative to dir.
func resolve(dir, path string) string {
	if filepath.IsAbs(path) || dir == "" {
		return path
	}
	return filepath.Join(dir, path)
}

// IsScorerError reports whether err is a scorer error (not an interruption).
func IsScorerError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// ToScore is the score to record on the log entry: named by the kind,
// by the spec as written, the reason as its comment.
func (s *Scorer) ToScore(r Result, at time.Time) workspace.Score {
	comment := r.Reason
	if r.Judge != nil {
		comment = fmt.Sprintf("%s (judged by %s)", r.Reason, r.Judge)
	}
	return workspace.Score{
		Name:    s.spec.Kind,
		Value:   r.Value,
		Pass:    r.Pass,
		Comment: comment,
		By:      s.spec.Spec,
		Time:    at,
	}
}

func passed(ok bool) *bool { return &ok }

// verdict is the Result of a pass/fail check: 1 or 0.
func verdict(ok bool, reason string) Result {
	if ok {
		return Result{Value: 1, Pass: passed(true)}
	}
	return Result{Value: 0, Pass: passed(false), Reason: reason}
}
