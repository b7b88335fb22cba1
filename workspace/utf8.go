package workspace

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text in the library is UTF-8. The store encodes records as JSON, which
// turns each invalid byte into U+FFFD, while the version's hash was taken
// over the bytes as given: a version holding invalid UTF-8 would no longer
// match its own hash once read back, and its export could not be imported
// anywhere. So commits refuse it up front.

// InvalidUTF8At is the byte offset of the first byte of s that is not
// part of valid UTF-8, or -1.
func InvalidUTF8At(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// CheckUTF8 refuses data that is not valid UTF-8, naming the file (name),
// the line and the byte offset of the first bad byte.
func CheckUTF8(name string, data []byte) error {
	at := InvalidUTF8At(string(data))
	if at < 0 {
		return nil
	}
	line := 1 + bytes.Count(data[:at], []byte("\n"))
	return Invalidf("%s:%d: byte offset %d (0x%02x) is not valid UTF-8; prompts are UTF-8 text. Convert it first (e.g. with iconv -f latin1 -t utf-8)", name, line, at, data[at])
}

// draftUTF8 names the first field of d that is not valid UTF-8, and the
// byte offset in it, or "" when all are.
func draftUTF8(d Draft) (field string, offset int) {
	check := func(name, s string) bool {
		if at := InvalidUTF8At(s); at >= 0 {
			field, offset = name, at
			return true
		}
		return false
	}
	for i, m := range d.Messages {
		if check(fmt.Sprintf("messages[%d].role", i), m.Role) || check(fmt.Sprintf("messages[%d].content", i), m.Content) {
			return
		}
	}
	if check("message", d.Message) {
		return
	}
	if d.Description != nil && check("description", *d.Description) {
		return
	}
	for i, t := range d.Tags {
		if check(fmt.Sprintf("tags[%d]", i), t.String()) {
			return
		}
	}
	c := d.Config
	if check("model", c.Model) {
		return
	}
	for i, s := range c.Stop {
		if check(fmt.Sprintf("stop[%d]", i), s) {
			return
		}
	}
	if rf := c.ResponseFormat; rf != nil {
		if check("response_format.type", rf.Type) || check("response_format.name", rf.Name) || check("response_format.schema", string(rf.Schema)) {
			return
		}
	}
	for i, s := range d.Scorers {
		if check(fmt.Sprintf("scorers[%d]", i), s) {
			return
		}
	}
	return "", -1
}

// draftFieldName says which field of a draft is meant, for the ones a
// reader might not place.
func draftFieldName(field string) string {
	switch field {
	case "message":
		return "the commit message"
	case "description":
		return "the description"
	}
	return field
}

// damagedVersionError refuses to export a version whose content no longer
// matches its hash: every importer would refuse the file. Older
// promptbench binaries let invalid UTF-8 in, which the store kept as
// U+FFFD; the field holding one is named.
func damagedVersionError(v Version) error {
	field, why := "content", "its messages or model config no longer match its hash"
	for i, m := range v.Messages {
		if strings.ContainsRune(m.Content, utf8.RuneError) {
			field = fmt.Sprintf("messages[%d].content", i)
			why = "it was committed with text that is not valid UTF-8, which the store keeps as U+FFFD, so it no longer matches its hash"
			break
		}
	}
	return Invalidf("export refused: %s@%d %s: %s %s, and a file holding it could not be imported anywhere. Run `promptbench doctor` to find and repair such versions, or export the other prompts by name", v.Prompt, v.Number, field, why, v.ShortHash())
}
