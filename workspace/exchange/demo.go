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
	Evals    []string // evaluation suites written, in EvalsDir
	EvalsDir string
}

// LoadDemo imports the embedded demo library through the ordinary import
// path, into an empty workspace only (a *NotEmptyError otherwise), and
// writes its datasets to <workspace>/datasets and its evaluation suites
// to <workspace>/evals, leaving files that are
// already there alone. The terminal UI's --demo and `init --demo` share it.
func LoadDemo(ctx context.Context, ws *workspace.Workspace) (DemoLoad, error) {
	plan, err := ImportIntoEmpty(ctx, ws, "demo library", testdata.DemoLibrary)
	if err != nil {
		return DemoLoad{}, err
	}
	d := DemoLoad{Plan: plan, Dir: filepath.Join(ws.Dir, "datasets")}
	if d.Datasets, err = writeDemoFiles(testdata.DemoDatasets, "datasets", d.Dir); err != nil {
		return d, err
	}
	// The suites name their datasets as ../datasets/…, beside them.
	d.EvalsDir = filepath.Join(ws.Dir, "evals")
	d.Evals, err = writeDemoFiles(testdata.DemoEvals, "evals", d.EvalsDir)
	return d, err
}

func writeDemoFiles(files fs.FS, kind, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("demo %s: %w", kind, err)
	}
	entries, err := fs.ReadDir(files, "demo/"+kind)
	if err != nil {
		return nil, fmt.Errorf("demo %s: %w", kind, err)
	}
	var written []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if _, err := os.Stat(path); err == nil {
			continue
		}
		data, err := fs.ReadFile(files, "demo/"+kind+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", kind, err)
		}
		// Atomic: a dataset cut by a kill would be kept as it is by the
		// next init --demo, which skips files already there.
		if err := workspace.WriteFileAtomic(path, data); err != nil {
			return nil, fmt.Errorf("demo %s: %w", kind, err)
		}
		written = append(written, e.Name())
	}
	return written, nil
}
