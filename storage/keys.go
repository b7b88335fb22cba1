package storage

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// The key layout. Every key starts with a one-byte kind; numbers are
// big-endian so that byte order is numeric order; a NUL ends each name that
// is followed by more key, so that the versions of "a" never mix with those
// of "a-b" in a prefix scan (NUL sorts before every slug character).
//
//	m schema                       schema version (uint32)
//	p <name>                       prompt
//	v <name> 0 <number:4>          version
//	t <tag> 0 <name>               tag index (no value)
//	a <unix nanos:8> <random:4>    audit event
//	A <action> 0 <time:12> <unix nanos:8> <random:4>   the same event in time order (audit_time.go)
//	l <name> 0 <number:4> <id>     log entry
//	r <id>                         run
//	i <run> 0 <name> 0 <number:4> <id>   run index of log entries (tx_runlogs.go)
//	c <key>                        cached response
const (
	kindMeta    = 'm'
	kindPrompt  = 'p'
	kindVersion = 'v'
	kindTag     = 't'
	kindAudit   = 'a'
	kindLog     = 'l'
	kindRun     = 'r'
	kindCache   = 'c'

	sep = 0
)

var schemaKey = []byte{kindMeta, 's', 'c', 'h', 'e', 'm', 'a'}

// key concatenates a kind and its parts.
func key(kind byte, parts ...[]byte) []byte {
	n := 1
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	k = append(k, kind)
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

// namePart returns s followed by the separator; it refuses what would break the
// layout: an empty string or one holding the separator.
func namePart(what, s string) ([]byte, error) {
	if err := checkPart(what, s); err != nil {
		return nil, err
	}
	return append([]byte(s), sep), nil
}

func checkPart(what, s string) error {
	if s == "" || strings.IndexByte(s, sep) >= 0 {
		return fmt.Errorf("storage: invalid %s %q: empty or holds a NUL byte", what, s)
	}
	return nil
}

func number(n int) ([]byte, error) {
	if n < 1 || n > math.MaxUint32 {
		return nil, fmt.Errorf("storage: invalid version number %d", n)
	}
	return binary.BigEndian.AppendUint32(nil, uint32(n)), nil
}

func versionKey(prompt string, n int) ([]byte, error) {
	nm, err := namePart("prompt name", prompt)
	if err != nil {
		return nil, err
	}
	num, err := number(n)
	if err != nil {
		return nil, err
	}
	return key(kindVersion, nm, num), nil
}

func tagKey(tag, prompt string) ([]byte, error) {
	t, err := namePart("tag", tag)
	if err != nil {
		return nil, err
	}
	if err := checkPart("prompt name", prompt); err != nil {
		return nil, err
	}
	return key(kindTag, t, []byte(prompt)), nil
}

// logPrefix is the prefix of a prompt's log entries, or of one version's when
// n > 0.
func logPrefix(prompt string, n int) ([]byte, error) {
	nm, err := namePart("prompt name", prompt)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return key(kindLog, nm), nil
	}
	num, err := number(n)
	if err != nil {
		return nil, err
	}
	return key(kindLog, nm, num), nil
}

func logKey(prompt string, n int, id string) ([]byte, error) {
	if n == 0 {
		return nil, fmt.Errorf("storage: invalid version number 0")
	}
	p, err := logPrefix(prompt, n)
	if err != nil {
		return nil, err
	}
	if err := checkPart("log id", id); err != nil {
		return nil, err
	}
	return append(p, id...), nil
}

// simpleKey is the key of a kind whose whole rest is one caller string.
func simpleKey(kind byte, what, s string) ([]byte, error) {
	if err := checkPart(what, s); err != nil {
		return nil, err
	}
	return key(kind, []byte(s)), nil
}

const auditKeyLen = 1 + 8 + 4

func auditKey(nanos uint64, random uint32) []byte {
	k := make([]byte, 0, auditKeyLen)
	k = append(k, kindAudit)
	k = binary.BigEndian.AppendUint64(k, nanos)
	return binary.BigEndian.AppendUint32(k, random)
}

func auditNanos(k []byte) uint64 {
	if len(k) != auditKeyLen {
		return 0
	}
	return binary.BigEndian.Uint64(k[1:9])
}
