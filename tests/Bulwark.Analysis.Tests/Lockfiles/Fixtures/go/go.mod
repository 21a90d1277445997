module example.com/fixture

go 1.21

require (
	example.com/local v1.0.0
	github.com/google/uuid v1.5.0
	github.com/pkg/errors v0.9.1
	golang.org/x/sys v0.16.0 // indirect
	golang.org/x/text v0.14.0
)

replace github.com/pkg/errors => github.com/pkg/errors v0.9.2-fork

replace example.com/local => ../local

require github.com/stretchr/testify v1.8.4 // indirect
