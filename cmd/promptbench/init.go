package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/testdata"
	"promptbench/workspace"
)

func (a *app) initCommand() *cobra.Command {
	var demo bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a workspace (.promptbench/ here, or --workspace DIR); --demo loads the demo library",
		Long: `init creates a workspace: .promptbench/ in the current folder, or the directory
named by --workspace. Running it again changes nothing. --demo loads the demo
library into a new or empty workspace (it refuses one that holds prompts of its
own, so that the demo never mixes into them) and writes its datasets.`,
		Example: `  promptbench init
  promptbench --workspace /tmp/demo init --demo`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir := a.wsFlag
			if dir == "" {
				dir = a.getenv("PROMPTBENCH_WORKSPACE")
			}
			if dir == "" {
				dir = workspace.DirName
			}
			dir, err := workspace.ResolveGiven(dir)
			if err != nil {
				return err
			}
			ws, created, err := workspace.Init(cmd.Context(), dir, a.options("init"))
			if err != nil {
				return err
			}
			if demo {
				return a.loadDemo(cmd.Context(), ws, created)
			}
			if created {
				fmt.Fprintf(a.Out, "Created workspace %s\n", ws.Dir)
				fmt.Fprintf(a.Out, "Next: promptbench commit NAME -m \"first version\" --file prompt.txt\n")
			} else {
				fmt.Fprintf(a.Out, "Workspace %s already exists; nothing changed\n", ws.Dir)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "load the demo library (a dozen prompts with history and labels) and its datasets into a new or empty workspace")
	return cmd
}

// demoElsewhere is the workspace the refusal of a non-empty one suggests.
const demoElsewhere = "/tmp/promptbench-demo"

// loadDemo imports the embedded demo library through the ordinary import
// path, into an empty workspace only, and writes its datasets to
// <workspace>/datasets, leaving files that are already there alone.
func (a *app) loadDemo(ctx context.Context, ws *workspace.Workspace, created bool) error {
	plan, err := ws.ImportIntoEmpty(ctx, "demo library", testdata.DemoLibrary)
	var ne *workspace.NotEmptyError
	if errors.As(err, &ne) {
		return fmt.Errorf("%w. The demo goes into a workspace of its own: promptbench --workspace %s init --demo", err, demoElsewhere)
	}
	if err != nil {
		return err
	}
	written, err := writeDemoDatasets(ws.Dir)
	if err != nil {
		return err
	}
	switch {
	case !plan.Changes():
		fmt.Fprintf(a.Out, "Workspace %s already holds the demo library; nothing changed\n", ws.Dir)
	case created:
		fmt.Fprintf(a.Out, "Created workspace with the demo library: %s: %s, %s\n", ws.Dir,
			plural(len(plan.NewPrompts), "prompt"), plural(len(plan.NewVersions), "version"))
	default:
		fmt.Fprintf(a.Out, "Loaded the demo library into %s: %s, %s\n", ws.Dir,
			plural(len(plan.NewPrompts), "prompt"), plural(len(plan.NewVersions), "version"))
	}
	if len(written) > 0 {
		fmt.Fprintf(a.Out, "Datasets in %s: %s\n", filepath.Join(ws.Dir, "datasets"), strings.Join(written, ", "))
	}
	fmt.Fprintf(a.Out, "Next: promptbench list, promptbench history support/reply, promptbench render fun/joke --var style=short --var topic=cats\n")
	return nil
}

// writeDemoDatasets writes the demo's datasets that are not there yet and
// returns their names.
func writeDemoDatasets(wsDir string) ([]string, error) {
	dir := filepath.Join(wsDir, "datasets")
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
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, fmt.Errorf("demo datasets: %w", err)
		}
		written = append(written, e.Name())
	}
	return written, nil
}
