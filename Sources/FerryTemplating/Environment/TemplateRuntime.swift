/// What a render needs from the environment, computed once per template and shared by reference, so starting a
/// render copies nothing.
final class TemplateRuntime: Sendable {
    let environment: TemplateEnvironment
    let filterContext: FilterContext
    let strict: Bool
    let limits: TemplateLimits
    /// The partials this template's renders have parsed (see ``PartialCache``); `nil` for a template without
    /// `include` or `render`, which then costs no lock to parse.
    let partials: PartialCache?

    init(environment: TemplateEnvironment, includesPartials: Bool) {
        self.partials = includesPartials ? PartialCache(capacity: environment.limits.maximumCachedPartials) : nil
        self.environment = environment
        self.filterContext = environment.filterContext
        self.strict = environment.mode.isStrict
        self.limits = environment.limits
    }
}
