package blob

// Sign lets the tests sign a request at a fixed time.
var Sign = S3.sign
