// TernDNS
