package dev.ecroidcguard.cli;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.Map;

/**
 * Reads a CloudFormation/SAM template. Short-form intrinsics ({@code !Ref X}, {@code !Sub "..."},
 * {@code !GetAtt A.B}) are YAML tags a plain loader rejects; here they become {@link Intrinsic} values, and the
 * long form ({@code {Ref: X}}) is recognised by {@link Intrinsic#of}.
 */
public final class CloudFormationYaml {

    private CloudFormationYaml() {
    }

    /** An intrinsic function call: {@code function} without the {@code Fn::} prefix or the {@code !}. */
    public record Intrinsic(String function, Object argument) {

        /** The intrinsic {@code value} stands for, if it is one in either form. */
        public static java.util.Optional<Intrinsic> of(Object value) {
            if (value instanceof Intrinsic i) {
                return java.util.Optional.of(i);
            }
            if (value instanceof Map<?, ?> m && m.size() == 1 && m.keySet().iterator().next() instanceof String key
                    && (key.equals("Ref") || key.startsWith("Fn::"))) {
                return java.util.Optional.of(new Intrinsic(key.replaceFirst("^Fn::", ""), m.values().iterator().next()));
            }
            return java.util.Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) new Yaml(new Constructor()).load(yaml);
    }

    private static final class Constructor extends SafeConstructor {
        Constructor() {
            super(new LoaderOptions());
            // The null key is snakeyaml's fallback for tags it does not know: every "!Name" in a template.
            yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String function = node.getTag().getValue().replaceFirst("^!", "");
                    Object argument = switch (node) {
                        case ScalarNode s -> constructScalar(s);
                        case SequenceNode s -> constructSequence(s);
                        case MappingNode m -> constructMapping(m);
                        default -> throw new IllegalArgumentException("unexpected YAML node " + node);
                    };
                    return new Intrinsic(function, argument);
                }
            });
        }
    }
}
