package main

import (
	"errors"
	"fmt"

	"promptbench/workspace"
)

// redactions counts what --redact-secrets replaced.
type redactions struct {
	words   int
	entries map[string]bool
}

func (r *redactions) add(f workspace.SecretFinding) {
	if r.entries == nil {
		r.entries = map[string]bool{}
	}
	r.words += f.Words
	r.entries[f.Prompt+"\x00"+f.ID] = true
}

// reportRedactions says on stderr how many key-looking words were
// replaced, so that a redacted file is never mistaken for a faithful one.
func (a *app) reportRedactions(r redactions) {
	if r.words == 0 {
		return
	}
	fmt.Fprintf(a.Err, "redacted %s in %s: replaced by %s\n",
		plural(r.words, "key-looking word"), plural(len(r.entries), "log entry"), workspace.RedactedMarker)
}

// secretsHint adds to a refusal of key-looking log entries how to redact
// them instead.
func secretsHint(err error) error {
	var se *workspace.SecretsError
	if !errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("%w; pass --redact-secrets to replace each such word by %s", err, workspace.RedactedMarker)
}
