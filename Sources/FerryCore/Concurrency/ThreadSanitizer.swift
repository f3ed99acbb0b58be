#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The thread sanitizer's annotation interface, when the process runs under it.
///
/// The sanitizer's runtime exports `__tsan_acquire` and `__tsan_release` (declared in its public
/// `sanitizer/tsan_interface.h`): a release of an address followed by an acquire of the same address orders
/// everything before the release before everything after the acquire. Looked up once; `nil` in a process built
/// without the sanitizer.
@usableFromInline
enum ThreadSanitizer {
    @usableFromInline typealias Annotation = @convention(c) (UnsafeMutableRawPointer?) -> Void

    /// The two annotations a lock needs.
    @usableFromInline
    struct Annotations: Sendable {
        @usableFromInline let acquire: Annotation
        @usableFromInline let release: Annotation
    }

    /// The annotations, or `nil` when the sanitizer's runtime is not in the process.
    @usableFromInline
    static let annotations: Annotations? = {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        guard let process = dlopen(nil, RTLD_NOW) else { return nil }
        guard let acquire = dlsym(process, "__tsan_acquire"), let release = dlsym(process, "__tsan_release") else {
            return nil
        }
        // Both symbols are `void f(void *addr)` in the sanitizer's interface, which is exactly `Annotation`.
        return Annotations(
            acquire: unsafeBitCast(acquire, to: Annotation.self),
            release: unsafeBitCast(release, to: Annotation.self))
        #else
        return nil
        #endif
    }()

    /// An object whose address names one lock to the sanitizer. It holds nothing: only its identity matters.
    @usableFromInline
    final class SyncIdentity: Sendable {
        @usableFromInline init() {}

        /// The address; stable for the object's lifetime, which the lock holding it outlives no access of.
        @usableFromInline var address: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
    }
}
