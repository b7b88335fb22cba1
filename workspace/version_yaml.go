package workspace

import (
	"fmt"
	"time"

	"promptbench/workspace/exportyaml"
)

// WriteVersionYAML writes v as an item of an export file's versions list.
// Commit measures a version with it (checkExportable) and export writes
// every version with it, so that what commit accepts always exports and
// imports again. It refuses a version holding what looks like an API key,
// and one whose content no longer matches its hash.
func WriteVersionYAML(w *exportyaml.Writer, v Version) error {
	return writeVersionYAML(w, v, versionChecked{})
}

// versionChecked says which of writeVersionYAML's checks were already
// made on the version's record: its hash matches, no string of it can
// look like a key; timeText, when set, is the version's time as export
// files write it, taken from the record (v.Time is then not read).
type versionChecked struct {
	hash, noSecret bool
	timeText       []byte
}

// writeVersionYAML is WriteVersionYAML for a version some of whose checks
// may be made already.
func writeVersionYAML(w *exportyaml.Writer, v Version, checked versionChecked) error {
	if !checked.noSecret {
		if field := VersionSecret(v); field != "" {
			return SecretError(v.Prompt, v.Number, field)
		}
	}
	if !checked.hash && !hashMatches(v) {
		return damagedVersionError(v)
	}
	w.Raw("  - number: ")
	w.Number(int64(v.Number))
	w.Raw("\n")
	w.Str(4, "hash", v.Hash)
	if v.Parent > 0 {
		w.Int(4, "parent", int64(v.Parent))
	}
	w.Str(4, "author", v.Author)
	w.KeyPrefix(4, "time")
	if checked.timeText != nil {
		w.TimeText(checked.timeText)
	} else {
		w.Time(v.Time)
	}
	if v.Message != "" {
		w.Str(4, "message", v.Message)
	}
	if err := WriteModelConfigYAML(w, 4, v.Config); err != nil {
		return fmt.Errorf("%s@%d: %w", v.Prompt, v.Number, err)
	}
	if len(v.Scorers) > 0 {
		w.Open(4, "scorers")
		for _, s := range v.Scorers {
			w.Item(4, s)
		}
	}
	w.Open(4, "messages")
	for _, m := range v.Messages {
		w.Raw("    - role:")
		w.Scalar(6, m.Role, false)
		w.Str(6, "content", m.Content)
	}
	return nil
}

// FormatExportTime is the one way export files write times: UTC RFC 3339, with
// nanoseconds only when there are some.
func FormatExportTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
