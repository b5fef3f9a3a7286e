package attentionlab.models;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.djl.ndarray.NDArray;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * The rule that keeps the NaN-gradient bug out (see {@link attentionlab.models.ops.Scalars}): no code
 * that builds autograd graphs calls {@link NDArray} arithmetic taking a {@link Number}
 * (comparisons such as {@code gt(Number)} give no gradient and stay allowed), because DJL frees
 * that constant before backward reads it. Constants go through {@code ops.Scalars} instead.
 */
public final class EngineSafetyRule {

    private EngineSafetyRule() {}

    /** The arithmetic whose Number overloads wrap the constant in a Java-backed tensor autograd may keep. */
    private static final Set<String> ARITHMETIC = Set.of("add", "sub", "mul", "div", "mod", "pow", "maximum", "minimum",
            "addi", "subi", "muli", "divi", "modi", "powi");

    private static final DescribedPredicate<JavaCall<?>> NUMBER_OVERLOAD_OF_NDARRAY =
            DescribedPredicate.describe("NDArray arithmetic with a Number argument", call ->
                    call.getTargetOwner().isAssignableTo(NDArray.class) && ARITHMETIC.contains(call.getName())
                            && call.getTarget().getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(Number.class)));

    /** No class in {@code packages} (ArchUnit package patterns) calls an NDArray Number overload. */
    public static ArchRule noNumberOverloadsIn(String... packages) {
        return noClasses().that().resideInAnyPackage(packages).should().callCodeUnitWhere(NUMBER_OVERLOAD_OF_NDARRAY)
                .because("DJL's op(Number) frees its constant before backward reads it; use attentionlab.models.ops.Scalars");
    }
}
