package workspace

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"promptbench/storage"
)

const (
	envKey   = "sk-proj-Abcdefghijklmnop0123456789"
	otherKey = "local-secret-value-42"
)

// withSecrets reopens ws with the given API key variables set, as the
// command line does from the environment.
func withSecrets(t *testing.T, ws *Workspace, values map[string]string) *Workspace {
	t.Helper()
	opts := ws.opts
	opts.Secrets = func(Config) map[string]string { return values }
	out, err := Open(ws.Dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRedactorReplacesKeysOnly(t *testing.T) {
	r := NewRedactor(map[string]string{"OPENAI_API_KEY": envKey, "SHORT": "x", "EMPTY": "", "PREFIX": envKey[:12]})
	got := r.String("a " + envKey + " b " + envKey[:12] + " x c")
	if want := "a [redacted:OPENAI_API_KEY] b [redacted:PREFIX] x c"; got != want {
		t.Fatalf("String = %q, want %q", got, want)
	}
	if NewRedactor(map[string]string{"A": "short"}) != nil {
		t.Fatal("a value too short to be a key made a redactor")
	}
	var none *Redactor
	if none.String("x") != "x" {
		t.Fatal("nil redactor changed text")
	}
}

// TestLogsNeverHoldKeys: whatever field of an entry a key's value lands
// in (variables, messages, output, error, scores, extra), the store holds
// the marker; a cached response holding the key is not kept.
func TestLogsNeverHoldKeys(t *testing.T) {
	ctx := context.Background()
	ws := withSecrets(t, newTestWorkspace(t), map[string]string{"OPENAI_API_KEY": envKey, "LOCAL_KEY": otherKey})
	mustCommit(t, ws, "p", text("Use {{x}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	e := LogEntry{
		ID: NewLogID(now), Prompt: "p", Version: 1, Source: "cli",
		Variables: map[string]any{"x": envKey, "nested": map[string]any{"list": []any{"k=" + otherKey}}},
		Messages:  []Message{{Role: RoleUser, Content: "Use " + envKey}},
		Output:    "You said " + envKey + ".",
		Error:     "upstream quoted " + otherKey,
		Extra:     json.RawMessage(`{"expected":"` + envKey + `","n":12345678901234567890}`),
		Time:      now,
	}
	cache := map[string][]byte{"leaky": []byte(`{"output":"` + envKey + `"}`), "clean": []byte(`{"output":"fine"}`)}
	if err := ws.AddLogs(ctx, []LogEntry{e}, cache); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.AddScore(ctx, "p", 1, e.ID, Score{Name: "review", Value: 1, Comment: "it leaked " + envKey}); err != nil {
		t.Fatal(err)
	}
	_, got, _, err := ws.Logs(ctx, "p")
	if err != nil || len(got) != 1 {
		t.Fatalf("logs: %v %v", got, err)
	}
	g := got[0]
	marker := "[redacted:OPENAI_API_KEY]"
	if g.Variables["x"] != marker || g.Messages[0].Content != "Use "+marker || g.Output != "You said "+marker+"." ||
		g.Error != "upstream quoted [redacted:LOCAL_KEY]" || g.Scores[0].Comment != "it leaked "+marker {
		t.Fatalf("stored entry not redacted: %+v", g)
	}
	if s := string(g.Extra); !strings.Contains(s, marker) || !strings.Contains(s, "12345678901234567890") {
		t.Fatalf("extra = %s", s)
	}
	if list := g.Variables["nested"].(map[string]any)["list"].([]any); list[0] != "k=[redacted:LOCAL_KEY]" {
		t.Fatalf("nested variable = %v", list)
	}
	found, err := ws.CacheGetMany(ctx, []string{"leaky", "clean"})
	if err != nil || len(found) != 1 || found["clean"] == nil {
		t.Fatalf("cache kept %v (%v); want only the clean entry", found, err)
	}
	err = ws.view(ctx, func(tx *storage.Tx) error {
		return tx.ScanLogs("p", 0, func(_ int, _ string, b []byte) error {
			if strings.Contains(string(b), envKey) || strings.Contains(string(b), otherKey) {
				t.Errorf("raw log record holds a key: %s", b)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
