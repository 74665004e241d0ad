// Go peer of the exposition parser benchmark: expfmt.TextParser from Debian's
// golang-github-prometheus-common-dev. Built offline by bench/parser_compare.sh with
// GO111MODULE=off GOPATH=/usr/share/gocode.
//
//	parser_go_peer FILE SECONDS   prints "<MB/s> <samples>", per CPU second of the process
//	                              (garbage collection included), like the other columns
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"github.com/prometheus/common/expfmt"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: parser_go_peer FILE SECONDS")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	seconds, err := strconv.ParseFloat(os.Args[2], 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	runs, samples := 0, 0
	start := cpuSeconds()
	for {
		var parser expfmt.TextParser
		families, err := parser.TextToMetricFamilies(bytes.NewReader(data))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		samples = 0
		for _, f := range families {
			samples += len(f.Metric)
		}
		runs++
		if cpuSeconds()-start >= seconds {
			break
		}
	}
	elapsed := cpuSeconds() - start
	fmt.Printf("%.1f %d\n", float64(len(data)*runs)/elapsed/1e6, samples)
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
