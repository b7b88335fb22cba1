package dataset

import "sort"

// Index keeps Marks spread through a file in bounded memory, so that a
// read of row n can start close before it instead of at the file's start.
// Marks are added in file order, each at least a gap in rows or in bytes
// past the last one kept; when the Index is full it drops every other
// mark and doubles the gaps. The zero Index is ready to use.
type Index struct {
	marks []Mark
	rows  int   // the gap in rows, once set
	bytes int64 // the gap in bytes, once set
}

// The first gaps, and how many marks an Index keeps at most: 4,096 marks
// of 24 bytes. A file of a million 100-byte rows ends with a mark every
// 256 rows (25 KB).
const (
	indexGapRows  = 64
	indexGapBytes = 16 << 10
	indexMarks    = 4096
)

// Add keeps m if it is far enough past the last mark kept.
func (x *Index) Add(m Mark) {
	if x.rows == 0 {
		x.rows, x.bytes = indexGapRows, indexGapBytes
	}
	if n := len(x.marks); n > 0 {
		last := x.marks[n-1]
		if m.Row <= last.Row || m.Row-last.Row < x.rows && m.Offset-last.Offset < x.bytes {
			return
		}
	}
	x.marks = append(x.marks, m)
	if len(x.marks) > indexMarks {
		kept := x.marks[:0]
		for i := 0; i < len(x.marks); i += 2 {
			kept = append(kept, x.marks[i])
		}
		x.marks = kept
		x.rows, x.bytes = 2*x.rows, 2*x.bytes
	}
}

// Before is the last mark at or before row; the zero Mark (the file's
// start) when there is none.
func (x *Index) Before(row int) Mark {
	i := sort.Search(len(x.marks), func(i int) bool { return x.marks[i].Row > row })
	if i == 0 {
		return Mark{}
	}
	return x.marks[i-1]
}

// Len is the number of marks kept.
func (x *Index) Len() int { return len(x.marks) }

// Merge adds the marks of y, which come after those of x.
func (x *Index) Merge(y *Index) {
	for _, m := range y.marks {
		x.Add(m)
	}
}
