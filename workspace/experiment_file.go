package workspace

import (
	"fmt"
	"slices"
	"time"

	"promptbench/workspace/exportfile"
)

// ExperimentFile is e as an export file writes it (exportfile.Experiment).
// Outcomes stay in the workspace: they are data, like log entries, and a
// file in git is no place for one line per user.
func (e Experiment) ExperimentFile() exportfile.Experiment {
	fe := exportfile.Experiment{
		Name: e.Name, Prompt: e.Prompt, KeyHint: e.KeyHint, Status: e.Status, Author: e.Author,
		Created: FormatExportTime(e.Created), Winner: e.Winner,
	}
	if !e.Stopped.IsZero() {
		fe.Stopped = FormatExportTime(e.Stopped)
	}
	for _, v := range e.Variants {
		fv := exportfile.ExperimentVariant{Name: v.Name, Version: v.Version, Hash: v.Hash, Weight: v.Weight}
		for _, r := range v.Buckets {
			fv.Buckets = append(fv.Buckets, exportfile.FormatRange(r))
		}
		fe.Variants = append(fe.Variants, fv)
	}
	return fe
}

// ExperimentFromFile checks an experiment read from a file and makes it
// the workspace's, its versions renumbered by local (the file's number to
// the number here, as import merges histories). Errors say which field is
// wrong, without the place (the caller's).
func ExperimentFromFile(fe exportfile.Experiment, local func(int) int) (Experiment, error) {
	if err := ValidateExperimentName(fe.Name); err != nil {
		return Experiment{}, err
	}
	if err := ValidateName(fe.Prompt); err != nil {
		return Experiment{}, err
	}
	if fe.Status != ExperimentRunning && fe.Status != ExperimentStopped {
		return Experiment{}, Invalidf("status %q is neither %s nor %s", fe.Status, ExperimentRunning, ExperimentStopped)
	}
	if len(fe.Variants) < 2 {
		return Experiment{}, Invalidf("an experiment has at least two variants")
	}
	layout, err := fe.Layout()
	if err != nil {
		return Experiment{}, Invalidf("variants: %v", err)
	}
	e := Experiment{Name: fe.Name, Prompt: fe.Prompt, KeyHint: fe.KeyHint, Status: fe.Status, Author: fe.Author, Winner: fe.Winner}
	if e.Created, err = parseTime(fe.Created, "created"); err != nil {
		return Experiment{}, err
	}
	if fe.Stopped != "" {
		if e.Stopped, err = parseTime(fe.Stopped, "stopped"); err != nil {
			return Experiment{}, err
		}
	}
	sizes := layout.Sizes()
	var names []string
	for i, fv := range fe.Variants {
		if fv.Name == "" || slices.Contains(names, fv.Name) {
			return Experiment{}, Invalidf("variants[%d]: name %q is empty or repeated", i, fv.Name)
		}
		names = append(names, fv.Name)
		if sizes[i] != fv.Weight*100 {
			return Experiment{}, Invalidf("variants[%d] (%s): weight %d%% but %d buckets; a weight of 1%% is 100 buckets", i, fv.Name, fv.Weight, sizes[i])
		}
		if fv.Version < 1 {
			return Experiment{}, Invalidf("variants[%d] (%s): version %d", i, fv.Name, fv.Version)
		}
		e.Variants = append(e.Variants, ExperimentVariant{Name: fv.Name, Version: local(fv.Version), Hash: fv.Hash, Weight: fv.Weight, Buckets: layout[i]})
	}
	if e.Winner != "" && !slices.Contains(names, e.Winner) {
		return Experiment{}, Invalidf("winner %q is none of the variants", e.Winner)
	}
	return e, nil
}

func parseTime(s, field string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, Invalidf("%s: %q is not an RFC 3339 time", field, s)
	}
	return t.UTC(), nil
}

// SameExperiment tells whether two experiments say the same thing: what
// a file carries (outcome batches are the workspace's own).
func SameExperiment(a, b Experiment) bool {
	return fmt.Sprint(a.ExperimentFile()) == fmt.Sprint(b.ExperimentFile())
}
