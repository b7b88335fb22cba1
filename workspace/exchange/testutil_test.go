package exchange

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"promptbench/workspace"
)

// The core's test helpers (package workspace's own tests) that these tests
// share, copied: a test file of one package cannot reach another's.

// newTestWorkspace makes a real workspace (real Badger store) in a temp dir
// with a fixed clock and author, its export file kept in sync as the
// command line wires it.
func newTestWorkspace(t testing.TB) *workspace.Workspace {
	t.Helper()
	return newTestWorkspaceAs(t, "alice")
}

// newTestWorkspaceAs is newTestWorkspace whose changes author makes.
func newTestWorkspaceAs(t testing.TB, author string) *workspace.Workspace {
	t.Helper()
	return newTestWorkspaceWith(t, author, nil)
}

// newTestWorkspaceWith is newTestWorkspace whose changes author makes
// and which keeps the API key values secrets (by variable name) out of its
// store, as the command line sets them from the environment.
func newTestWorkspaceWith(t testing.TB, author string, secrets map[string]string) *workspace.Workspace {
	t.Helper()
	dir := filepath.Join(t.TempDir(), workspace.DirName)
	clock := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	opts := workspace.Options{
		Getenv:      func(string) string { return "" },
		Now:         func() time.Time { clock = clock.Add(time.Minute); return clock },
		Command:     "promptbench test",
		Author:      func() string { return author },
		AfterChange: SyncExportFile,
	}
	if secrets != nil {
		opts.Secrets = func(workspace.Config) map[string]string { return secrets }
	}
	ws, created, err := workspace.Init(context.Background(), dir, opts)
	if err != nil || !created {
		t.Fatalf("Init: created=%v err=%v", created, err)
	}
	return ws
}

func text(s string) workspace.Draft {
	return workspace.Draft{Messages: []workspace.Message{{Role: workspace.RoleUser, Content: s}}}
}

func mustCommit(t *testing.T, ws *workspace.Workspace, name string, d workspace.Draft) workspace.CommitResult {
	t.Helper()
	res, err := ws.Commit(context.Background(), name, d)
	if err != nil {
		t.Fatalf("commit %s: %v", name, err)
	}
	return res
}
