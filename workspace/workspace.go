package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"promptbench/storage"
)

const (
	// DirName is the workspace directory that init creates and that is
	// found by walking up from the current directory, like .git.
	DirName    = ".promptbench"
	configName = "config.yaml"
	storeName  = "store"
)

// Options are the process-level dependencies of a workspace.
type Options struct {
	Getenv   func(string) string // nil: os.Getenv
	Now      func() time.Time    // nil: time.Now
	Command  string              // what this process is, for lock messages
	LockWait time.Duration       // how long to wait for a store another process holds
	// Author names who makes changes; nil: PROMPTBENCH_AUTHOR, git's
	// user.name, $USER, in that order.
	Author func() string
	// Maintain, when set, is called with the workspace directory after a
	// write that left the store due for compaction, to run Compact away
	// from the user's command (the command line starts a detached
	// process, as git does for gc --auto). Nil compacts inside the next
	// writing open instead.
	Maintain func(dir string)
	// Secrets returns, given the workspace's configuration, the values
	// that must never reach the store (the API keys its providers read
	// from the environment) by variable name; log entries are written with
	// each replaced by a marker. The caller reads the environment: the
	// workspace never does. Nil: nothing is redacted.
	Secrets func(Config) map[string]string
	// AfterChange runs after every change that is saved (commit, label,
	// retag, mv, rm, a doctor repair, an import): the command line wires
	// the export-file sync here (package exchange), a terminal UI may run
	// it in the background. Its error is reported as a saved change whose
	// export file was not updated. Nil: nothing runs.
	AfterChange func(ctx context.Context, ws *Workspace) error
	// OnHookError hears of each hook in config.yaml that failed or ran
	// past its time limit; the change it was told of is saved regardless.
	OnHookError func(*HookError)
}

// Workspace is a directory holding config.yaml and the store. It holds no
// open store: every operation opens, does its transaction and closes, so
// that other processes can use the workspace between operations.
type Workspace struct {
	Dir            string
	Config         Config
	ConfigWarnings []string
	opts           Options
	redactor       *Redactor // nil: no secrets to keep out
	// turn admits one store operation of this process at a time (store.go).
	turn chan struct{}
	// lease is a store a bulk writer keeps open between writes (lease.go).
	lease writeLease
}

// Locate finds the workspace directory: the flag, else
// $PROMPTBENCH_WORKSPACE, else the nearest .promptbench walking up from cwd,
// else the user's default under $XDG_DATA_HOME.
func Locate(flagDir, cwd string, getenv func(string) string) (string, error) {
	if flagDir != "" {
		return ResolveGiven(flagDir)
	}
	if dir := getenv("PROMPTBENCH_WORKSPACE"); dir != "" {
		return ResolveGiven(dir)
	}
	for dir := cwd; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, DirName)
		if fi, err := os.Stat(candidate); err == nil && fi.IsDir() {
			return candidate, nil
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return defaultDir(getenv)
}

// ResolveGiven makes a directory the user named absolute, and takes a
// project folder holding .promptbench/ to mean that workspace, so that
// --workspace ~/repo works as well as --workspace ~/repo/.promptbench.
func ResolveGiven(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("workspace %s: %w", dir, err)
	}
	inner := filepath.Join(abs, DirName)
	if fi, err := os.Stat(inner); err == nil && fi.IsDir() &&
		!exists(filepath.Join(abs, configName)) && !exists(filepath.Join(abs, storeName)) {
		return inner, nil
	}
	return abs, nil
}

func defaultDir(getenv func(string) string) (string, error) {
	if data := getenv("XDG_DATA_HOME"); data != "" {
		return filepath.Join(data, "promptbench"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", &NotWorkspaceError{Why: "no workspace: none was named, and neither PROMPTBENCH_WORKSPACE nor HOME is set"}
	}
	return filepath.Join(home, ".local", "share", "promptbench"), nil
}

// Open opens an existing workspace and reads its configuration.
func Open(dir string, opts Options) (*Workspace, error) {
	opts = opts.withDefaults()
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotWorkspaceError{Dir: dir, Why: "no workspace at " + dir, Missing: true}
	}
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, kindf(ErrNotWorkspace, "%s is a file, not a workspace directory", dir)
	}
	if !exists(filepath.Join(dir, configName)) && !exists(filepath.Join(dir, storeName)) {
		return nil, &NotWorkspaceError{Dir: dir, Missing: true, Why: fmt.Sprintf("%s is not a promptbench workspace (it has no %s or %s, nor a %s/ folder)", dir, configName, storeName, DirName)}
	}
	cfg, warnings, err := LoadConfig(filepath.Join(dir, configName), userConfigPath(opts.Getenv))
	if err != nil {
		return nil, err
	}
	ws := &Workspace{Dir: dir, Config: cfg, ConfigWarnings: warnings, opts: opts, turn: make(chan struct{}, 1)}
	if opts.Secrets != nil {
		ws.redactor = NewRedactor(opts.Secrets(cfg))
	}
	return ws, nil
}

// Init creates a workspace in dir (made if missing) with a commented
// config.yaml, a .gitignore that keeps the store out of git, and an empty
// store. Initialising an existing workspace is harmless: only a missing
// .gitignore is added.
func Init(ctx context.Context, dir string, opts Options) (*Workspace, bool, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, false, fmt.Errorf("init %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, kindf(ErrNotWorkspace, "init %s: cannot create the workspace directory: %v", dir, err)
	}
	created := false
	cfgPath := filepath.Join(dir, configName)
	if !exists(cfgPath) {
		if err := WriteFileAtomic(cfgPath, []byte(defaultConfig)); err != nil {
			return nil, false, fmt.Errorf("init %s: %w", dir, err)
		}
		created = true
	}
	// Workspaces made before init wrote it get it now.
	if _, err := ensureGitignore(dir); err != nil {
		return nil, false, fmt.Errorf("init %s: %w", dir, err)
	}
	ws, err := Open(dir, opts)
	if err != nil {
		return nil, false, err
	}
	if err := ws.update(ctx, func(*storage.Tx) error { return nil }); err != nil {
		return nil, false, err
	}
	return ws, created, nil
}

func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Command == "" {
		o.Command = "promptbench"
	}
	if o.LockWait == 0 {
		o.LockWait = 5 * time.Second
	}
	if o.Author == nil {
		getenv := o.Getenv
		// Resolved once: without PROMPTBENCH_AUTHOR it runs git config.
		o.Author = sync.OnceValue(func() string { return DefaultAuthor(getenv) })
	}
	return o
}

func (ws *Workspace) storeOptions(readOnly bool) storage.Options {
	return storage.Options{
		Dir:             filepath.Join(ws.Dir, storeName),
		ReadOnly:        readOnly,
		LockWait:        ws.opts.LockWait,
		Command:         ws.opts.Command,
		DeferCompaction: ws.opts.Maintain != nil,
		// Processes take turns in the order they came: a long-lived one
		// (an evaluation, the terminal UI) opens the store again and
		// again and would otherwise keep taking it back (handover.go).
		GiveWay: true,
	}
}

// Compact merges the store's level-0 tables, which short writing commands
// leave one each of, into the levels below.
func (ws *Workspace) Compact(ctx context.Context) error {
	return storage.Compact(ctx, ws.storeOptions(false))
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Author is who makes this process's changes (Options.Author).
func (ws *Workspace) Author() string { return ws.opts.Author() }

// Now is the workspace's clock (Options.Now).
func (ws *Workspace) Now() time.Time { return ws.opts.Now() }

// clockInTx is the time of a change, read once the command holds the
// store, inside the transaction that writes it. Writers hold the store one
// at a time, so the times of changes follow the order they were written
// in; read before an open that waited, a change could be dated before
// one another command wrote meanwhile, and the audit trail, read in time
// order, would end with the wrong one: a label the prompt has shown as
// removed, or the other way round.
func (ws *Workspace) clockInTx() time.Time { return ws.opts.Now().UTC() }
