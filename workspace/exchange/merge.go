package exchange

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"promptbench/workspace"
)

// MergeInput is one of the three files of a merge: its name for messages
// (git's temporary files mean nothing to a user) and its bytes.
type MergeInput struct {
	Name string
	Data []byte
}

// MergeReport is what a three-way merge of export files found besides the
// merged file.
type MergeReport struct {
	Divergences []Divergence // both sides added versions: both lines kept
	Conflicts   []LabelConflict
	// Kept are prompts one side deleted and the other changed: they are
	// kept, as the side that changed them has them.
	Kept []string
	// TaxonomyConflict: both sides changed the taxonomy differently; ours
	// is kept (it comes from config.yaml, which git merges as text).
	TaxonomyConflict bool
}

// LabelConflict is a label both sides moved to different versions; the
// merged file keeps ours. Versions are the merged file's numbers.
type LabelConflict struct {
	Prompt, Label string
	Ours, Theirs  int
}

// MergeFiles merges two export files that share the base by meaning, as
// import merges one file into a library: prompts and versions from both
// sides are kept (same hash, author and time: the same version), diverging
// histories both kept and reported, a label moved on one side follows that
// side, a label moved on both sides to different versions is a conflict
// (ours kept). Prompts and labels one side deleted and the other left as
// they were in base stay deleted. The result is what export writes for the
// merged library, byte for byte, so that the next export does not change
// it. scratch is a directory for the temporary library the merge is built
// in (removed after).
func MergeFiles(ctx context.Context, scratch string, base, ours, theirs MergeInput) ([]byte, MergeReport, error) {
	var rep MergeReport
	ob, oo, ot := readOutline(base.Data), readOutline(ours.Data), readOutline(theirs.Data)
	tax, conflict := mergeTaxonomy(ob, oo, ot)
	rep.TaxonomyConflict = conflict
	// A file exported with its logs merges into one with them.
	opts := ExportOptions{NoTaxonomy: !tax.hasTaxonomy, WithLogs: oo.hasLogs || ot.hasLogs}
	if tax.hasTaxonomy {
		t, err := parseTaxonomy(tax.taxonomy)
		if err != nil {
			return nil, rep, err
		}
		opts.Taxonomy = t
	}
	skipOurs, skipOursLabels, keptOurs := deletions(ob, ot, oo)
	skipTheirs, skipTheirsLabels, keptTheirs := deletions(ob, oo, ot)
	rep.Kept = append(keptOurs, keptTheirs...)
	slices.Sort(rep.Kept)

	dir, err := os.MkdirTemp(scratch, "promptbench-merge-")
	if err != nil {
		return nil, rep, fmt.Errorf("merge: %w", err)
	}
	defer os.RemoveAll(dir)
	ws, err := scratchWorkspace(ctx, filepath.Join(dir, workspace.DirName))
	if err != nil {
		return nil, rep, err
	}
	if _, err := Import(ctx, ws, ours.Name, bytes.NewReader(ours.Data), ImportOptions{Replay: true, SkipPrompts: skipOurs, SkipLabels: skipOursLabels}); err != nil {
		return nil, rep, err
	}
	plan, err := Import(ctx, ws, theirs.Name, bytes.NewReader(theirs.Data), ImportOptions{Replay: true, SkipPrompts: skipTheirs, SkipLabels: skipTheirsLabels})
	if err != nil {
		return nil, rep, err
	}
	rep.Divergences = plan.Divergences
	for _, l := range plan.Labels {
		if l.Action == LabelActionKeep {
			rep.Conflicts = append(rep.Conflicts, LabelConflict{Prompt: l.Prompt, Label: l.Label, Ours: l.From, Theirs: l.To})
		}
	}
	var out bytes.Buffer
	if err := Export(ctx, ws, &out, opts); err != nil {
		return nil, rep, err
	}
	return out.Bytes(), rep, nil
}

// scratchWorkspace is an empty library with no configuration of its own
// (no taxonomy to check tags against, no user config, no export file).
func scratchWorkspace(ctx context.Context, dir string) (*workspace.Workspace, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), nil, 0o644); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	ws, _, err := workspace.Init(ctx, dir, workspace.Options{
		Getenv:  func(string) string { return "" },
		Author:  func() string { return "merge" },
		Command: "promptbench git merge-driver",
	})
	return ws, err
}
