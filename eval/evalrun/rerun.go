package evalrun

import (
	"slices"
	"strings"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// Rerun is what --rerun-errors ran again: the run is amended, not copied.
// New entries of the same run replace the failed calls in its report (the
// report counts each case's latest entry), and outputs a scorer failed on
// get their scores again; the failed entries stay in the version's log.
type Rerun struct {
	Calls    int // cases × variant whose call failed, called again
	Rescored int // outputs scored again after a scorer error
}

func hasScorerError(e workspace.LogEntry) bool {
	return slices.ContainsFunc(e.Scores, report.IsScorerError)
}

// checkGates refuses a threshold on a scorer no variant has: a typo in
// fail_under would otherwise pass every run.
func checkGates(gates []report.Gate, vs []variantSpec) error {
	var specs []string
	for _, v := range vs {
		for _, s := range v.scorers {
			if spec := s.Spec().Spec; !slices.Contains(specs, spec) {
				specs = append(specs, spec)
			}
		}
	}
	for _, g := range gates {
		if g.Scorer != "" && !slices.Contains(specs, g.Scorer) {
			have := "none"
			if len(specs) > 0 {
				have = strings.Join(specs, ", ")
			}
			return badInput("fail_under %s names a scorer no variant has; the scorers are: %s", g.String(), have)
		}
	}
	return nil
}
