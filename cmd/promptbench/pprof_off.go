//go:build !pprof

package main

// startProfiles writes no profiles unless built with -tags pprof (pprof.go).
func startProfiles() (stop func()) { return func() {} }
