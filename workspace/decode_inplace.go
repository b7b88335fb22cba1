package workspace

import "unsafe"

// Decoding in place: an export decodes every version and audit event of
// the library only to write it out again at once, and copying each string
// out of its record (then collecting the copies) took about a fifth of
// the time an export spent on versions.
// A scanner with inPlace set hands out strings that share the record's
// memory, and those with escapes are unescaped into its scratch buffer,
// kept from one record to the next. Such strings are valid only until the
// record's bytes or the scanner are reused: only a reader that is done
// with what it decoded before then may set it, and it must copy whatever
// outlives the record (an error's text, say).

// inPlaceString is s as a string sharing its memory.
func inPlaceString(s []byte) string {
	if len(s) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(s), len(s))
}

// keep is a string read from the record: shared in place, or copied.
func (d *promptScanner) keep(s []byte) string {
	if d.inPlace {
		return inPlaceString(s)
	}
	return string(s)
}

// reset makes the scanner read b, dropping the strings of the last record
// it read in place.
func (d *promptScanner) reset(b []byte) {
	d.b, d.i, d.closed = b, 0, false
	d.scratch = d.scratch[:0]
}

// skipStrings reads a list of strings as jsonStrings does, keeping none.
func (d *promptScanner) skipStrings() bool {
	if !d.byte('[') {
		return false
	}
	if d.byte(']') {
		return true
	}
	for {
		if _, ok := d.jsonString(); !ok {
			return false
		}
		if d.byte(']') {
			return true
		}
		if !d.byte(',') {
			return false
		}
	}
}
