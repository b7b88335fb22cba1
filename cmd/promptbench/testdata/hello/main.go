// Command hello is the smallest Go program that writes a line: the
// benchmarks run it beside promptbench for the scale of a Go process's
// own start-up on this machine.
//
// It lives under testdata so that `go build ./...` leaves it out.
package main

import "os"

func main() {
	os.Stdout.WriteString("hello\n")
}
