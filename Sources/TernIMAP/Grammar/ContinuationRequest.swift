/// A continuation request (`continue-req = "+" [SP (resp-text / base64)] CRLF`).
///
/// The codec cannot tell text from base64 for sure (`+ Ready` is valid base64 of nothing
/// useful), so it keeps the raw text; ``base64Decoded`` decodes it when it is strict base64,
/// as during AUTHENTICATE.
public struct ContinuationRequest: Sendable, Equatable {
    /// The response code, when the text starts with `[`.
    public var code: ResponseCode?
    /// Everything after `+ ` (and after the code), undecoded.
    public var text: String

    public init(code: ResponseCode? = nil, text: String = "") {
        self.code = code
        self.text = text
    }

    /// The text decoded as strict base64 (RFC 4648, with padding), or nil when it is not.
    /// An empty continuation (`+ ` or `+`) decodes to an empty challenge.
    public var base64Decoded: [UInt8]? {
        code == nil ? Base64.decode(text) : nil
    }
}
