package io.jenkins.plugins.fluxkontext.testing;

import java.beans.Introspector;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.commons.beanutils.ConvertUtils;
import org.apache.commons.beanutils.ConvertUtilsBean;
import org.apache.commons.beanutils.Converter;
import org.apache.commons.beanutils.converters.DoubleConverter;
import org.apache.commons.beanutils.converters.FloatConverter;
import org.apache.commons.beanutils.converters.IntegerConverter;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Binds a submitted form (its JSON, as {@code java.util} maps, lists and strings) to a new object the way Stapler
 * 2076.v1b_a_c12445eb_e does, with the real commons-beanutils 1.11.0 that Jenkins 2.555.3 ships:
 *
 * <ul>
 *   <li>{@code RequestImpl#instantiate}: the {@code @DataBoundConstructor}'s parameters, by name, from the form;
 *   <li>{@code RequestImpl#injectSetters}: then, for every other key the form holds (and only those), the public
 *       {@code @DataBoundSetter} method whose decapitalized name matches;
 *   <li>{@code RequestImpl.TypePair#convertJSON}: {@code null} becomes the type's VM default, a single value for a
 *       collection becomes a one-element list, an enum is looked up by name, anything else goes through
 *       {@code Stapler.lookupConverter};
 *   <li>{@code Stapler.lookupConverter}: {@code Stapler.CONVERT_UTILS} first (a {@code ConvertUtilsBean} with
 *       beanutils' own converters, where Stapler registers null-for-blank converters for {@code Integer},
 *       {@code Float} and {@code Double} only), then beanutils' global {@code ConvertUtils}.
 * </ul>
 *
 * The descriptor's part ({@code Descriptor#newInstance}, where this plugin leaves blank number fields out) is the
 * caller's: it prepares the form before calling {@link #instantiate}.
 */
public final class StaplerFormBinding {

    /** {@code Stapler.CONVERT_UTILS}, registered as in Stapler.java's static block (lines 1268-1271). */
    private final ConvertUtilsBean converters = new ConvertUtilsBean();

    public StaplerFormBinding() {
        // "mapping for boxed types should map null to null, instead of null to zero."
        converters.register(new IntegerConverter(null), Integer.class);
        converters.register(new FloatConverter(null), Float.class);
        converters.register(new DoubleConverter(null), Double.class);
    }

    /** A new {@code type} from {@code form}, as {@code StaplerRequest2#bindJSON(Class, JSONObject)} makes it. */
    public <T> T instantiate(Class<T> type, Map<String, Object> form) throws Exception {
        Constructor<?> constructor = dataBoundConstructor(type);
        List<String> names = new ArrayList<>();
        Object[] args = new Object[constructor.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            String name = constructor.getParameters()[i].getName();
            names.add(name);
            args[i] = convert(
                    constructor.getGenericParameterTypes()[i], constructor.getParameterTypes()[i], form.get(name));
        }
        T object = type.cast(invoke(() -> constructor.newInstance(args)));
        for (Map.Entry<String, Object> entry : form.entrySet()) {
            if (names.contains(entry.getKey())) {
                continue;
            }
            Method setter = dataBoundSetter(type, entry.getKey());
            if (setter != null) {
                Object value =
                        convert(setter.getGenericParameterTypes()[0], setter.getParameterTypes()[0], entry.getValue());
                invoke(() -> setter.invoke(object, value));
            }
        }
        return object;
    }

    /** What a setter or constructor parameter of {@code type} receives for the form value {@code json}. */
    public Object convert(Type genericType, Class<?> type, Object json) {
        if (json == null) {
            return vmDefault(type);
        }
        if (Collection.class.isAssignableFrom(type)) {
            Class<?> item = itemType(genericType);
            List<Object> list = new ArrayList<>();
            for (Object o : json instanceof List<?> l ? l : List.of(json)) {
                Object v = convert(item, item, o);
                if (v != null) {
                    list.add(v);
                }
            }
            return list;
        }
        if (type.isEnum()) {
            return enumValue(type, json.toString());
        }
        Converter converter = lookupConverter(type);
        if (converter == null) {
            if (type == Object.class) {
                return json;
            }
            throw new IllegalArgumentException("Unable to convert to " + type);
        }
        return converter.convert(type, json);
    }

    /** {@code Stapler.lookupConverter}, for the types plugin properties have. */
    public Converter lookupConverter(Class<?> type) {
        Converter c = converters.lookup(type);
        return c != null ? c : ConvertUtils.lookup(type);
    }

    /** The public {@code @DataBoundSetter} for {@code property}, as {@code RequestImpl#findDataBoundSetter} finds it. */
    public static Method dataBoundSetter(Class<?> type, String property) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())
                        && m.getName().startsWith("set")
                        && m.getParameterCount() == 1
                        && m.isAnnotationPresent(DataBoundSetter.class)
                        && property.equals(Introspector.decapitalize(m.getName().substring(3)))) {
                    return m;
                }
            }
        }
        return null;
    }

    public static Constructor<?> dataBoundConstructor(Class<?> type) {
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type + " has no @DataBoundConstructor");
    }

    private static Class<?> itemType(Type genericType) {
        if (genericType instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    /** {@code ReflectionUtils.getVmDefaultValueFor}: {@code null}, or a primitive's zero. */
    private static Object vmDefault(Class<?> type) {
        return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
    }

    @FunctionalInterface
    private interface Reflective {
        Object call() throws ReflectiveOperationException;
    }

    /** Throws what the constructor or setter threw, as {@code RequestImpl#launderITE} does. */
    private static Object invoke(Reflective call) throws Exception {
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}
