package workspace

import (
	"testing"
)

const plantedKey = "sk-live-0123456789abcdefghijklmn"

func TestRedactSecretWords(t *testing.T) {
	got, n := redactSecretWords("a=" + plantedKey + ", sk-short, 'AKIAABCDEFGHIJKLMNOP' caf\xe9")
	if want := "a=[redacted], sk-short, '[redacted]' caf\xe9"; got != want || n != 2 {
		t.Fatalf("got %q (%d)", got, n)
	}
}

func TestSecretsErrorCountsOtherEntries(t *testing.T) {
	e := &SecretsError{Op: "export", Found: []SecretFinding{
		{Prompt: "p", Version: 1, ID: "a", Field: "output"},
		{Prompt: "p", Version: 1, ID: "a", Field: "variables.x"},
		{Prompt: "p", Version: 2, ID: "b", Field: "output"},
		{ID: "run-1", Field: "summary"},
	}}
	want := "export refused: log entry a of p@1 holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…) in output, variables.x; 2 more entries hold some too; keys never go into export files"
	if e.Error() != want {
		t.Fatalf("got  %s\nwant %s", e.Error(), want)
	}
}
