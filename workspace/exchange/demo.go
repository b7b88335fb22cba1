package exchange

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"promptbench/testdata"
	"promptbench/workspace"
)

// DemoLoad is what LoadDemo did.
type DemoLoad struct {
	Plan     ImportPlan
	Datasets []string // dataset files written (those already there are kept)
	Dir      string   // where the datasets are
}

// LoadDemo imports the embedded demo library through the ordinary import
// path, into an empty workspace only (a *NotEmptyError otherwise), and
// writes its datasets to <workspace>/datasets, leaving files that are
// already there alone. The terminal UI's --demo and `init --demo` share it.
func LoadDemo(ctx context.Context, ws *workspace.Workspace) (DemoLoad, error) {
	plan, err := ImportIntoEmpty(ctx, ws, "demo library", testdata.DemoLibrary)
	if err != nil {
		return DemoLoad{}, err
	}
	d := DemoLoad{Plan: plan, Dir: filepath.Join(ws.Dir, "datasets")}
	d.Datasets, err = writeDemoDatasets(d.Dir)
	return d, err
}

func writeDemoDatasets(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("demo datasets: %w", err)
	}
	entries, err := fs.ReadDir(testdata.DemoDatasets, "demo/datasets")
	if err != nil {
		return nil, fmt.Errorf("demo datasets: %w", err)
	}
	var written []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if _, err := os.Stat(path); err == nil {
			continue
		}
		data, err := fs.ReadFile(testdata.DemoDatasets, "demo/datasets/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("demo datasets: %w", err)
		}
		// Atomic: a dataset cut by a kill would be kept as it is by the
		// next init --demo, which skips files already there.
		if err := workspace.WriteFileAtomic(path, data); err != nil {
			return nil, fmt.Errorf("demo datasets: %w", err)
		}
		written = append(written, e.Name())
	}
	return written, nil
}
