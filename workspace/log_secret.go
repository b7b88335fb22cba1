package workspace

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// SecretFinding is one field of a log entry or run that looks like it
// holds an API key (sk-…, ghp_…, xoxb-…, AKIA…).
type SecretFinding struct {
	Prompt  string // "" for a run
	Version int
	ID      string // the log entry's or run's id
	Field   string // within the entry: variables.key, messages[0].content, output, …
	Line    int    // import: the entry's first line in the file; 0 when unknown
	Words   int    // when redacting: how many words were replaced
	word    string // the first key-looking word, to place it in a file
}

// where names the entry a finding is in.
func (f SecretFinding) where() string {
	if f.Prompt == "" {
		return "run " + f.ID
	}
	return fmt.Sprintf("log entry %s of %s@%d", f.ID, f.Prompt, f.Version)
}

// SecretsError refuses an export or an import because log entries or
// runs hold what looks like API keys. Found lists every field, entry by
// entry in file order. It is an ErrInvalid; the front end says how to
// redact instead.
type SecretsError struct {
	Op    string // "export" or "import"
	File  string // import: the file's name
	Found []SecretFinding
}

func (e *SecretsError) Is(target error) bool { return target == ErrInvalid }

func (e *SecretsError) Error() string {
	var b strings.Builder
	first := e.Found[0]
	if e.Op == "import" {
		b.WriteString(e.File)
		if first.Line > 0 {
			fmt.Fprintf(&b, ":%d", first.Line)
		}
		b.WriteString(": ")
	} else {
		b.WriteString("export refused: ")
	}
	var fields []string
	entries := map[string]bool{}
	for _, f := range e.Found {
		entries[f.where()] = true
		if f.where() == first.where() {
			fields = append(fields, f.Field)
		}
	}
	fmt.Fprintf(&b, "%s holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…) in %s", first.where(), strings.Join(fields, ", "))
	switch more := len(entries) - 1; {
	case more == 1:
		b.WriteString("; 1 more entry holds some too")
	case more > 1:
		fmt.Fprintf(&b, "; %d more entries hold some too", more)
	}
	if e.Op == "import" {
		b.WriteString("; keys never go into the library")
	} else {
		b.WriteString("; keys never go into export files")
	}
	return b.String()
}

// secretFields calls found with the path and text of every string (or
// map key) in v, a decoded JSON or YAML value, that looks like it holds a
// key; map keys are visited sorted, so the order is stable.
func secretFields(v any, path string, found func(field, text string)) {
	switch x := v.(type) {
	case string:
		if LooksLikeSecretIn(x) {
			found(path, x)
		}
	case []any:
		for i, item := range x {
			secretFields(item, path+"["+strconv.Itoa(i)+"]", found)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			p := joinField(path, k)
			if LooksLikeSecretIn(k) {
				found(p, k)
			}
			secretFields(x[k], p, found)
		}
	}
}

func joinField(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// redactSecretFields replaces every key-looking word in the strings and map
// keys of v by [redacted], in place where it can, calling found with each
// field changed and the number of words replaced there. It returns the
// new value.
func redactSecretFields(v any, path string, found func(field string, words int)) any {
	switch x := v.(type) {
	case string:
		s, n := redactSecretWords(x)
		if n > 0 {
			found(path, n)
		}
		return s
	case []any:
		for i, item := range x {
			x[i] = redactSecretFields(item, path+"["+strconv.Itoa(i)+"]", found)
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			p := joinField(path, k)
			nk, n := redactSecretWords(k)
			if n > 0 {
				found(p, n)
			}
			out[nk] = redactSecretFields(x[k], p, found)
		}
		return out
	}
	return v
}

// firstSecretWord is the first word of s that looks like a key.
func firstSecretWord(s string) string {
	for word := range strings.FieldsFuncSeq(s, isSecretSeparator) {
		if looksLikeSecret(word) {
			return word
		}
	}
	return ""
}

// RedactedMarker replaces a key-looking word when secrets are redacted
// rather than refused.
const RedactedMarker = "[redacted]"

// redactSecretWords replaces each word of s that looks like a key
// (looksLikeSecret, words split as looksLikeSecretIn splits them) by
// RedactedMarker and says how many it replaced.
func redactSecretWords(s string) (string, int) {
	if !LooksLikeSecretIn(s) {
		return s, 0
	}
	var b strings.Builder
	n, start := 0, -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		if word := s[start:end]; looksLikeSecret(word) {
			b.WriteString(RedactedMarker)
			n++
		} else {
			b.WriteString(word)
		}
		start = -1
	}
	for i, r := range s {
		if isSecretSeparator(r) {
			flush(i)
			b.WriteRune(r)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(s))
	return b.String(), n
}

// SecretScreen checks log entries and runs for key-looking words, for
// export and import: it collects every finding, or with redact replaces
// the words and reports each field to onRedact (which may be nil).
type SecretScreen struct {
	redact   bool
	onRedact func(SecretFinding)
	found    []SecretFinding
}

// NewSecretScreen screens with redact and onRedact as above.
func NewSecretScreen(redact bool, onRedact func(SecretFinding)) *SecretScreen {
	return &SecretScreen{redact: redact, onRedact: onRedact}
}

// Findings is how many fields were found so far (none with redact).
func (s *SecretScreen) Findings() int { return len(s.found) }

// PlaceFirst sets the line of the first finding, which the refusal
// shows, given the line of its key-looking word.
func (s *SecretScreen) PlaceFirst(line func(word string) int) {
	if len(s.found) > 0 {
		s.found[0].Line = line(s.found[0].word)
	}
}

// Entry screens one decoded entry; base names the entry. It returns the
// entry to write.
func (s *SecretScreen) Entry(base SecretFinding, entry any) any {
	if s.redact {
		return redactSecretFields(entry, "", func(field string, words int) {
			f := base
			f.Field, f.Words = field, words
			if s.onRedact != nil {
				s.onRedact(f)
			}
		})
	}
	secretFields(entry, "", func(field, text string) {
		f := base
		f.Field = field
		if len(s.found) == 0 {
			f.word = firstSecretWord(text)
		}
		s.found = append(s.found, f)
	})
	return entry
}

// Err is the refusal when anything was found.
func (s *SecretScreen) Err(op, file string) error {
	if len(s.found) == 0 {
		return nil
	}
	return &SecretsError{Op: op, File: file, Found: s.found}
}
