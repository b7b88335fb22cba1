package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"promptbench/eval/provider"
	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// app is what every command shares: the streams, the environment and the
// global flags. No command reads os.* directly, so tests run it in-process.
type app struct {
	streams
	getenv   func(string) string
	environ  []string
	wsFlag   string
	noColor  bool
	theme    string
	terminal bool // stdout is a terminal: stored and model text is sanitised, else exact
	// interactive: stdin and stdout are a terminal, so a person can be
	// asked (commit opens $EDITOR for a missing message).
	interactive bool
	lockWait    time.Duration
	now         func() time.Time
	// maintain runs store maintenance after a write that left it due;
	// nil leaves it to the next writing command (see workspace.Options).
	maintain func(dir string)
}

func newApp(s streams, getenv func(string) string, environ []string) *app {
	out := isTerminal(s.Out)
	in, _ := s.In.(*os.File)
	return &app{streams: s, getenv: getenv, environ: environ, now: time.Now, terminal: out, interactive: out && in != nil && isTerminal(in)}
}

// run executes the command line in-process, as tests do.
func run(ctx context.Context, args []string, s streams, getenv func(string) string, environ []string) int {
	return newApp(s, getenv, environ).execute(ctx, args)
}

func (a *app) execute(ctx context.Context, args []string) int {
	s := a.streams
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.Version = version
	err := root.ExecuteContext(ctx)
	var status exitStatus
	if errors.As(err, &status) {
		return int(status) // the command said all it had to
	}
	if err != nil {
		a.printError(err)
	}
	return exitCode(err)
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func (a *app) rootCommand() *cobra.Command {
	var tf tuiFlags
	var ef evalFlags
	root := &cobra.Command{
		Use:   "promptbench",
		Short: "A terminal workbench for LLM prompts: versioned library, runs, evaluations",
		Long: `promptbench keeps your team's LLM prompts as a versioned library in a local
store: immutable versions with hashes, taxonomy tags, labels such as production,
diffs and rollbacks, strict templates, model runs and evaluations.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ef.dataset != "" || ef.resume != "" {
				return a.evaluate(cmd, ef)
			}
			return a.openTUI(cmd, tf)
		},
	}
	root.Flags().BoolVar(&tf.demo, "demo", false, "open the terminal UI on a temporary workspace holding the demo library (models answer offline)")
	root.Flags().BoolVar(&tf.keep, "keep", false, "with --demo: keep the demo workspace after quitting")
	root.Flags().StringVar(&ef.dataset, "eval", "", "evaluate prompt versions over DATASET (see `promptbench eval --help`)")
	addEvalFlags(root.Flags(), &ef)
	pf := root.PersistentFlags()
	pf.StringVar(&a.wsFlag, "workspace", "", "workspace directory (default: $PROMPTBENCH_WORKSPACE, the nearest .promptbench/, or ~/.local/share/promptbench)")
	pf.StringVar(&a.theme, "theme", "", "terminal UI colours: auto (follows the terminal), dark, light or high-contrast")
	pf.BoolVar(&a.noColor, "no-color", false, "plain output without colour (also NO_COLOR)")
	pf.DurationVar(&a.lockWait, "lock-wait", 5*time.Second, "how long to wait for a workspace another promptbench is using")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usagef(err.Error()) })
	root.AddCommand(
		a.initCommand(),
		a.listCommand(),
		a.showCommand(),
		a.commitCommand(),
		a.historyCommand(),
		a.diffCommand(),
		a.labelCommand(),
		a.mvCommand(),
		a.rmCommand(),
		a.renderCommand(),
		a.tagCommand(),
		a.maintainCommand(),
		a.runCommand(),
		a.logsCommand(),
		a.exportCommand(),
		a.importCommand(),
		a.doctorCommand(),
		a.modelsCommand(),
		a.providersCommand(),
		a.evalCommand(),
		a.runsCommand(),
		a.reportCommand(),
		a.abCommand(),
		a.gitCommand(),
		a.auditCommand(),
		a.reviewCommand(),
		a.verifyCommand(),
	)
	return root
}

// printError writes one plain "promptbench: …" message: errors here are
// sentences meant to be read. It never queries the terminal (a styled
// error box would ask for the background colour, and some terminals never
// answer).
func (a *app) printError(err error) {
	fmt.Fprintf(a.Err, "promptbench: %s\n", wordError(err))
}

// workspaceDir finds the workspace as DESIGN.md orders it.
func (a *app) workspaceDir() (string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	return workspace.Locate(a.wsFlag, cwd, a.getenv)
}

func (a *app) options(command string) workspace.Options {
	wait := a.lockWait
	if wait <= 0 {
		wait = -1
	}
	return workspace.Options{Getenv: a.getenv, Now: a.now, Command: "promptbench " + command, LockWait: wait, Maintain: a.maintain, Secrets: a.secretValues,
		AfterChange: exchange.SyncExportFile, OnHookError: func(e *workspace.HookError) { a.warn(e.Error()) }}
}

// secretValues reads the API keys of every provider the configuration
// knows from the environment, for the workspace to keep out of its store.
func (a *app) secretValues(cfg workspace.Config) map[string]string {
	values := map[string]string{}
	for _, name := range provider.KeyEnvNames(cfg.Providers) {
		if v := a.getenv(name); v != "" {
			values[name] = v
		}
	}
	return values
}

// openWorkspace opens the located workspace and prints config warnings.
func (a *app) openWorkspace(command string) (*workspace.Workspace, error) {
	dir, err := a.workspaceDir()
	if err != nil {
		return nil, err
	}
	ws, err := workspace.Open(dir, a.options(command))
	if err != nil {
		return nil, err
	}
	for _, w := range ws.ConfigWarnings {
		a.warn(w)
	}
	return ws, nil
}

func (a *app) warn(msg string) {
	fmt.Fprintf(a.Err, "warning: %s\n", msg)
}
