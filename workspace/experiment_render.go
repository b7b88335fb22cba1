package workspace

import (
	"context"
	"strings"

	"promptbench/storage"
	"promptbench/workspace/ab"
)

// ExperimentRendered is a render chosen by an experiment: which variant
// the key got, its bucket, and the version rendered.
type ExperimentRendered struct {
	Rendered
	Experiment string
	Variant    string // "" when a stopped experiment without winner serves production
	Bucket     int
	Stopped    bool
}

// RenderExperiment renders prompt name in the version experiment exp
// assigns key, as the application package (served) does in process: the
// key's variant while it runs; once stopped, the winner, or production
// when there was none.
func (ws *Workspace) RenderExperiment(ctx context.Context, name, exp, key string, vars map[string]any) (ExperimentRendered, error) {
	if key == "" {
		return ExperimentRendered{}, Invalidf("the key is empty: give the user id (or whatever the experiment splits by)")
	}
	var out ExperimentRendered
	err := ws.view(ctx, func(tx *storage.Tx) error {
		e, err := GetExperiment(tx, exp)
		if err != nil {
			return err
		}
		if e.Prompt != name {
			return Invalidf("experiment %s is on %s, not %s", exp, e.Prompt, name)
		}
		out.Experiment, out.Bucket = e.Name, ab.Bucket(e.Name, key)
		ref := Ref{Name: e.Prompt, Label: "production"}
		if e.Status == ExperimentRunning {
			v := e.Variants[e.Layout().Lookup(out.Bucket)]
			out.Variant, ref = v.Name, Ref{Name: e.Prompt, Number: v.Version}
		} else {
			out.Stopped = true
			if i := e.Variant(e.Winner); i >= 0 {
				out.Variant, ref = e.Winner, Ref{Name: e.Prompt, Number: e.Variants[i].Version}
			}
		}
		p, v, err := resolveRef(tx, ref)
		if err != nil {
			return err
		}
		out.Prompt, out.Version = p, v
		msgs, unused, err := renderVersion(v, vars, txResolver(tx, v.Prompt))
		out.Messages, out.Unused = msgs, unused
		return err
	})
	return out, err
}

// IsBareName tells whether ref is a name without @.
func IsBareName(ref string) bool { return !strings.Contains(ref, "@") }
