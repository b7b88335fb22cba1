package served

import (
	"promptbench/workspace/ab"
)

// Assignment is the arm of an experiment a key gets.
type Assignment struct {
	Experiment string
	Prompt     string
	Variant    string // the variant's name as created ("production", "4")
	Version    int
	Bucket     int // 0 to 9,999 (package ab)
	// Stopped is true when the experiment has ended: every key then gets
	// the winner, or the prompt's production version when it had none
	// (Variant is then empty).
	Stopped bool
}

// Assign says which variant of the experiment key gets: a pure function
// of the experiment's name and the key (ab.Bucket against the variants'
// bucket ranges), the same as `promptbench render --experiment`.
func (l *Library) Assign(experiment, key string) (Assignment, error) {
	snap := l.cur.Load()
	if snap == nil {
		return Assignment{}, notFoundf("experiment %s: the prompts file %s is not loaded", experiment, l.path)
	}
	_, a, err := snap.assign(experiment, key)
	return a, err
}

func (s *snapshot) assign(experiment, key string) (*experiment, Assignment, error) {
	e, ok := s.experiments[experiment]
	if !ok {
		return nil, Assignment{}, notFoundf("experiment %s is not in %s", experiment, s.path)
	}
	a := Assignment{Experiment: e.Name, Prompt: e.Prompt, Bucket: ab.Bucket(e.Name, key)}
	if e.Status == "stopped" {
		a.Stopped = true
		for _, v := range e.Variants {
			if v.Name == e.Winner {
				a.Variant, a.Version = v.Name, v.Version
			}
		}
		return e, a, nil
	}
	i := e.layout.Lookup(a.Bucket)
	a.Variant, a.Version = e.Variants[i].Name, e.Variants[i].Version
	return e, a, nil
}

// RenderExperiment renders the experiment's prompt in the version key's
// variant serves, and says which it was (Rendered.Variant). Once the
// experiment is stopped it renders the winner, or without one the
// production version.
func (l *Library) RenderExperiment(experiment, key string, vars map[string]any) (Rendered, error) {
	snap := l.cur.Load()
	if snap == nil {
		return Rendered{}, notFoundf("experiment %s: the prompts file %s is not loaded", experiment, l.path)
	}
	e, a, err := snap.assign(experiment, key)
	if err != nil {
		return Rendered{}, err
	}
	ref := e.Prompt
	var v *version
	if a.Version > 0 {
		v = snap.prompts[e.Prompt].versions[a.Version-1]
	} else if v, err = snap.resolve(ref); err != nil {
		return Rendered{}, err
	}
	r, err := snap.render(v, vars)
	r.Experiment, r.Variant = e.Name, a.Variant
	return r, err
}
