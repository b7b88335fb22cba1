package exchange

import (
	"encoding/json"
	"errors"
	"fmt"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportfile"
)

// experimentWrite is an experiment import adds or replaces: its record
// before (nil when new), for the journal, and after.
type experimentWrite struct {
	name  string
	prior []byte
	val   []byte
}

// experiment merges one experiment by name: a new one is added; one we
// have that says the same is skipped; one that differs keeps ours, with a
// warning, unless --theirs (our outcome batches stay ours either way).
func (im *importer) experiment(fe exportfile.Experiment, place placer, line int) error {
	mapping, ok := im.mapped[fe.Prompt]
	if !ok {
		return place(fieldErrorf(".prompt", "%s is not a prompt in this file; an experiment comes with its prompt", fe.Prompt))
	}
	for i, v := range fe.Variants {
		if v.Version < 1 || v.Version > mapping.n {
			return place(fieldErrorf(fmt.Sprintf(".variants[%d].version", i), "%s@%d is not a version in this file", fe.Prompt, v.Version))
		}
	}
	e, err := workspace.ExperimentFromFile(fe, mapping.local)
	if err != nil {
		return place(fieldErrorf("", "%v", err))
	}
	for i, v := range e.Variants {
		b, err := im.tx.GetVersion(e.Prompt, v.Version)
		if errors.Is(err, storage.ErrNotFound) {
			continue // a version this import adds, checked against its hash already
		}
		if err != nil {
			return err
		}
		local, err := workspace.DecodeVersion(e.Prompt, v.Version, b)
		if err != nil {
			return err
		}
		if local.Hash != v.Hash {
			return place(fieldErrorf(fmt.Sprintf(".variants[%d].hash", i), "%s@%d here has hash %s, not the file's %s", e.Prompt, v.Version, local.ShortHash(), v.Hash))
		}
	}
	prior, err := im.tx.GetExperiment(e.Name)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		prior = nil
	case err != nil:
		return err
	default:
		ours, err := workspace.DecodeExperiment(prior)
		if err != nil {
			return err
		}
		if workspace.SameExperiment(ours, e) {
			return nil
		}
		if !im.o.Theirs {
			im.m.plan.Warnings = append(im.m.plan.Warnings, fmt.Sprintf("%s:%d: experiment %s differs from ours (%s here, %s in the file); kept ours, --theirs takes the file's", im.name, line, e.Name, ours.Status, e.Status))
			return nil
		}
		e.Batches, e.Pending = ours.Batches, ours.Pending
	}
	val, err := json.Marshal(e)
	if err != nil {
		return err
	}
	im.m.experiments = append(im.m.experiments, experimentWrite{name: e.Name, prior: prior, val: val})
	im.m.plan.Experiments = append(im.m.plan.Experiments, e.Name)
	return nil
}
