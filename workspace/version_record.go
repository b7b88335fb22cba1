package workspace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"

	"promptbench/workspace/exportyaml"
)

// WriteVersionRecordYAML writes a version as stored (its JSON record) as
// WriteVersionYAML does. The content hash is checked on the record's own
// bytes where they are the canonical encoding, which commit wrote them
// in: re-encoding every version took a fifth of an export's time.
func WriteVersionRecordYAML(w *exportyaml.Writer, name string, n int, record []byte) error {
	var parts hashedParts
	v, ok := decodeVersionWith(&promptScanner{b: record, noVariables: true}, &parts)
	hashChecked := ok && partsHashMatch(record, parts, v.Hash)
	if !ok {
		var err error
		if v, err = DecodeVersion(name, n, record); err != nil {
			return err
		}
		hashChecked = recordHashMatches(record, v.Hash)
	}
	return writeVersionYAML(w, v, versionChecked{hash: hashChecked})
}

// VersionRecordWriter is WriteVersionRecordYAML for one goroutine writing
// many versions: each is decoded in place (decode_inplace.go), its strings
// sharing the record's memory until it is written, and the variables,
// which an export does not write, are not kept.
type VersionRecordWriter struct {
	d promptScanner
}

// Write writes the version record as WriteVersionRecordYAML does.
func (vw *VersionRecordWriter) Write(w *exportyaml.Writer, name string, n int, record []byte) error {
	vw.d.inPlace, vw.d.noVariables = true, true
	vw.d.reset(record)
	// In order, every key is known and none comes twice, and a record
	// noSecretIn clears holds no \u escape (so no \ufffd either): what
	// partsHashMatch checks before it hashes.
	if v, parts, timeText, ok := decodeVersionInOrder(&vw.d); ok && noSecretIn(record) &&
		len(v.Hash) == 2*sha256.Size && hashOf(parts.messages, parts.config, v.Hash) {
		// Checked already, the version cannot fail to be written.
		return writeVersionYAML(w, v, versionChecked{hash: true, noSecret: true, timeText: timeText})
	}
	vw.d.reset(record)
	var parts hashedParts
	v, ok := decodeVersionWith(&vw.d, &parts)
	if !ok {
		var err error
		if v, err = DecodeVersion(name, n, record); err != nil {
			return err
		}
		return writeVersionYAML(w, v, versionChecked{hash: recordHashMatches(record, v.Hash)})
	}
	checked := versionChecked{hash: partsHashMatch(record, parts, v.Hash), noSecret: noSecretIn(record)}
	if err := writeVersionYAML(w, v, checked); err != nil {
		// The error may hold the version's strings, which share the
		// record's memory: the version decoded anew gives the same
		// error with strings of its own.
		return WriteVersionRecordYAML(&exportyaml.Writer{}, name, n, bytes.Clone(record))
	}
	return nil
}

// noSecretIn tells whether no string the record decodes to can look like
// a key: none of the prefixes keys start with is in its bytes, and no
// \u escape could spell one (encoding/json writes the prefixes' letters
// as they are). One search of the record replaces one of each of its
// strings; a record it does not clear is checked string by string.
func noSecretIn(record []byte) bool {
	return !bytes.Contains(record, []byte(`\u`)) && !hasSecretPrefix(inPlaceString(record))
}

// recordHashMatches tells whether the record's "messages" and "config"
// values, as they stand in its bytes, hash to hash. The record must have
// exactly the keys a Version is written with, each once and spelled as
// written: JSON decoders also take other spellings and the last of
// repeated keys, and the bytes hashed must be those decoded. Bytes that
// give the hash are the ones commit hashed (sha256), and those decode to
// the content that was committed. False only means "check by
// re-encoding".
func recordHashMatches(record []byte, hash string) bool {
	if len(hash) != 2*sha256.Size {
		return false
	}
	// Every escape encoding/json writes decodes to a character it escapes
	// the same way again, but for \ufffd, its spelling of bytes that are
	// not UTF-8: such a record matches its hash as stored, yet its
	// content, decoded, does not (utf8.go).
	if bytes.Contains(record, []byte(`\ufffd`)) {
		return false
	}
	var messages, config []byte
	seen := 0
	ok := scanTopLevel(record, func(key, value []byte) bool {
		bit := versionKeyBit(key)
		if bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		switch bit {
		case keyMessages:
			messages = value
		case keyConfig:
			config = value
		}
		return true
	})
	if !ok {
		return false
	}
	return hashOf(messages, config, hash)
}

// partsHashMatch is recordHashMatches for a record the fast decoder read
// whole, which found the values' bounds on the way: every key known
// (it declines others), none twice.
func partsHashMatch(record []byte, parts hashedParts, hash string) bool {
	if parts.dup || len(hash) != 2*sha256.Size || bytes.Contains(record, []byte(`\ufffd`)) {
		return false
	}
	return hashOf(parts.messages, parts.config, hash)
}

// hashOf tells whether the messages and config values, as they stand,
// hash to hash.
func hashOf(messages, config []byte, hash string) bool {
	if messages == nil || config == nil {
		return false
	}
	var want [sha256.Size]byte
	if _, err := hex.Decode(want[:], []byte(hash)); err != nil {
		return false
	}
	// The canonical encoding laid out whole and hashed at once: a
	// version's is a few hundred bytes, and hashing it piece by piece
	// cost a third more than the hashing itself.
	const lead, middle = `{"messages":`, `,"config":`
	var buf [1024]byte
	b := buf[:0]
	if n := len(lead) + len(messages) + len(middle) + len(config) + 1; n > len(buf) {
		b = make([]byte, 0, n)
	}
	b = append(append(append(append(append(b, lead...), messages...), middle...), config...), '}')
	return sha256.Sum256(b) == want
}

const (
	keyMessages = 1 << iota
	keyConfig
	keyOther
)

// versionKeyBit names the record keys a Version has (json tags of
// version.go); 0 for any other.
func versionKeyBit(key []byte) int {
	switch string(key) {
	case "messages":
		return keyMessages
	case "config":
		return keyConfig
	case "prompt":
		return keyOther
	case "number":
		return keyOther << 1
	case "hash":
		return keyOther << 2
	case "parent":
		return keyOther << 3
	case "variables":
		return keyOther << 4
	case "scorers":
		return keyOther << 5
	case "message":
		return keyOther << 6
	case "author":
		return keyOther << 7
	case "time":
		return keyOther << 8
	}
	return 0
}

// scanTopLevel calls fn with each key (without quotes; false when it
// holds an escape) and raw value of the JSON object b, until fn returns
// false. It only finds the bounds of values; anything unusual (white
// space, escapes in keys, a malformed value) returns false.
func scanTopLevel(b []byte, fn func(key, value []byte) bool) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	i := 1
	if b[i] == '}' {
		return i == len(b)-1
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return false
		}
		end := bytes.IndexByte(b[i+1:], '"')
		if end < 0 {
			return false
		}
		key := b[i+1 : i+1+end]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		i += end + 2
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i++
		n := valueEnd(b, i)
		if n < 0 || !fn(key, b[i:n]) {
			return false
		}
		i = n
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			return i == len(b)-1
		default:
			return false
		}
	}
}

// valueEnd returns the index just past the compact JSON value starting
// at b[i], or -1.
func valueEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i = stringEnd(b, i+1)
			if i < 0 {
				return -1
			}
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i
			}
			i++
		case ' ', '\t', '\n', '\r':
			return -1 // not compact: not as commit wrote it
		default:
			i++
		}
		if depth == 0 && i < len(b) && (b[i] == ',' || b[i] == '}') {
			return i
		}
	}
	return -1
}

// stringEnd returns the index just past the closing quote of the string
// whose text starts at b[i].
func stringEnd(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return -1
		}
		i += j
		escapes := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			escapes++
		}
		i++
		if escapes%2 == 0 {
			return i
		}
	}
}
