/// `+FLAGS` / `-FLAGS` / `FLAGS` in STORE.
public enum StoreOperation: String, Sendable, Equatable {
    case add = "+FLAGS"
    case remove = "-FLAGS"
    case replace = "FLAGS"
}
