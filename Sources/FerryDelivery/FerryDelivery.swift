// The FerryDelivery module. Its types arrive with the issue that builds it; the target exists now so the package's
// layout and dependency graph are fixed from the start.
import FerryCore
