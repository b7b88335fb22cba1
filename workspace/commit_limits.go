package workspace

import (
	"strings"
	"time"

	"promptbench/workspace/exportyaml"
)

// checkExportable refuses a version that its own export file could not
// import: import bounds what it reads (ImportLimits), so commit applies the
// same bounds, measured on the version as export writes it. A library that
// exported cleanly then always imports.
func checkExportable(name string, d Draft, hash string) error {
	lim := DefaultImportLimits()
	if len(d.Messages) > lim.Messages {
		return Invalidf("commit %s: %d messages; a version holds at most %d", name, len(d.Messages), lim.Messages)
	}
	for i, m := range d.Messages {
		if len(m.Content) > lim.TextBytes {
			return Invalidf("commit %s: messages[%d] is %s; a message holds at most %s (export files must import again)", name, i, SizeText(int64(len(m.Content))), SizeText(int64(lim.TextBytes)))
		}
	}
	if len(d.Message) > lim.TextBytes {
		return Invalidf("commit %s: the commit message is %s; at most %s", name, SizeText(int64(len(d.Message))), SizeText(int64(lim.TextBytes)))
	}
	if d.Description != nil && len(*d.Description) > lim.TextBytes {
		return Invalidf("commit %s: the description is %s; at most %s", name, SizeText(int64(len(*d.Description))), SizeText(int64(lim.TextBytes)))
	}
	var w exportyaml.Writer
	v := Version{Prompt: name, Number: 1, Hash: hash, Messages: d.Messages, Config: d.Config, Scorers: d.Scorers,
		Message: d.Message, Author: strings.Repeat("a", 64), Time: time.Unix(0, 0)}
	if err := WriteVersionYAML(&w, v); err != nil {
		return nil // the other checks word what is wrong
	}
	text := w.String()
	if len(text) > lim.ItemBytes {
		return Invalidf("commit %s: the version takes %s in an export file; at most %s (shorten its messages)", name, SizeText(int64(len(text))), SizeText(int64(lim.ItemBytes)))
	}
	for line := range strings.SplitSeq(text, "\n") {
		if len(line) > lim.ItemBytes {
			return Invalidf("commit %s: a message makes a line of %s in an export file; at most %s", name, SizeText(int64(len(line))), SizeText(int64(lim.ItemBytes)))
		}
	}
	return nil
}
