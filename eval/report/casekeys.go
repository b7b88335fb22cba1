package report

import (
	"bytes"
	"strconv"
)

// A case key is the case ID, NUL, and the repeat in decimal: keys sort as
// the report lists cases, a case's repeats together.

// appendCaseKey appends the key of a case and repeat to b.
func appendCaseKey(b []byte, id string, repeat int) []byte {
	b = append(b, id...)
	b = append(b, 0)
	return strconv.AppendInt(b, int64(repeat), 10)
}

// splitCaseKey returns the case ID and repeat of a key.
func splitCaseKey(k []byte) (string, int) {
	if i := bytes.LastIndexByte(k, 0); i >= 0 {
		n, _ := strconv.Atoi(string(k[i+1:]))
		return string(k[:i]), n
	}
	return string(k), 0
}
