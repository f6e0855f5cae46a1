// TernTLS
