package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"promptbench/themes"
	"promptbench/tui"
	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// tuiFlags are the root command's flags for the terminal UI.
type tuiFlags struct {
	demo bool
	keep bool
}

// openTUI opens the terminal UI on the workspace, or with --demo on a
// temporary one holding the demo library. Without a terminal the bare
// command prints its help instead.
func (a *app) openTUI(cmd *cobra.Command, f tuiFlags) error {
	if f.keep && !f.demo {
		return usagef("--keep goes with --demo: it keeps the temporary demo workspace after you quit")
	}
	if !a.interactive {
		if f.demo {
			return usagef("--demo opens the terminal UI, which needs a terminal (stdin and stdout here are not one); to load the demo library for the commands: promptbench --workspace " + demoElsewhere + " init --demo")
		}
		return cmd.Help()
	}
	if !themes.Valid(a.theme) {
		return usagef("--theme: " + (&themes.UnknownError{Name: a.theme}).Error())
	}
	// A closed terminal (SIGHUP) ends the UI like q, so the demo
	// workspace is still removed.
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGHUP)
	defer stop()
	var ws *workspace.Workspace
	location := ""
	if f.demo {
		dir, err := a.demoWorkspace(ctx)
		if err != nil {
			return err
		}
		defer a.leaveDemo(dir, f.keep)
		if ws, err = workspace.Open(dir, a.options("--demo")); err != nil {
			return err
		}
		location = "demo (removed on quit)"
		if f.keep {
			location = "demo (kept on quit)"
		}
	} else {
		var err error
		if ws, err = a.openWorkspace("(terminal UI)"); err != nil {
			return err
		}
		location = ws.Dir
	}
	overrides, err := a.userTheme()
	if err != nil {
		return err
	}
	compare, err := a.compareOptions(ws)
	if err != nil {
		return err
	}
	m, err := tui.New(ctx, tui.Options{Store: ws, Theme: a.theme, Now: a.now, Location: location, Overrides: overrides, Compare: compare})
	if err != nil {
		return err
	}
	_, err = tea.NewProgram(m, a.programOptions(ctx)...).Run()
	// Model calls that quitting cancelled are logged before the process
	// (and a demo workspace) goes.
	m.Close(3 * time.Second)
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // ctrl+c or SIGTERM: a normal way out
	}
	if err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// userTheme reads the user theme file, theme.yaml in promptbench's config
// directory ($XDG_CONFIG_HOME/promptbench, else ~/.config/promptbench),
// if there is one.
func (a *app) userTheme() (themes.Overrides, error) {
	dir := a.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := a.getenv("HOME")
		if home == "" {
			return themes.Overrides{}, nil
		}
		dir = filepath.Join(home, ".config")
	}
	path := filepath.Join(dir, "promptbench", themes.FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return themes.Overrides{}, nil
	}
	if err != nil {
		return themes.Overrides{}, fmt.Errorf("theme file: %w", err)
	}
	o, err := themes.ParseOverrides(path, data)
	if err != nil {
		return o, usagef(err.Error() + " (fix or remove the file)")
	}
	return o, nil
}

// programOptions wire the program to the app's streams and environment;
// --no-color and a non-empty NO_COLOR force plain text.
func (a *app) programOptions(ctx context.Context) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(a.In), tea.WithOutput(a.Out), tea.WithEnvironment(a.environ)}
	if a.noColor || a.getenv("NO_COLOR") != "" {
		opts = append(opts, tea.WithColorProfile(colorprofile.ASCII))
	}
	return opts
}

// demoConfig makes every model of the demo answer offline: the openai
// provider its prompts name is the echo provider here.
const demoConfig = `# The temporary workspace of promptbench --demo. Every model answers
# offline: openai/… is the echo provider, which returns the rendered prompt.
providers:
  - name: openai
    kind: echo
`

// demoWorkspace makes a temporary workspace with the demo library.
func (a *app) demoWorkspace(ctx context.Context) (string, error) {
	dir, err := os.MkdirTemp("", "promptbench-demo-")
	if err != nil {
		return "", fmt.Errorf("demo workspace: %w", err)
	}
	// Background maintenance would outlive the directory it works in.
	a.maintain = nil
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(demoConfig), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("demo workspace: %w", err)
	}
	ws, _, err := workspace.Init(ctx, dir, a.options("--demo"))
	if err == nil {
		_, err = exchange.LoadDemo(ctx, ws)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// leaveDemo removes the demo workspace, or says where it was kept.
func (a *app) leaveDemo(dir string, keep bool) {
	if keep {
		fmt.Fprintf(a.Err, "Kept the demo workspace: %s\nOpen it again: promptbench --workspace %s\n", dir, dir)
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		a.warn(fmt.Sprintf("could not remove the demo workspace %s: %v", dir, err))
	}
}
