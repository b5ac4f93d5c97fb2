/** Formily components that screens built from metadata may name in `x-component` / `x-decorator`. */
import './safe-compiler';
import { Card } from 'antd';
import { createSchemaField } from '@formily/react';
import { Checkbox, DatePicker, FormCollapse, FormGrid, FormItem, FormLayout, FormTab, Input, NumberPicker, Radio, Select, Switch, TimePicker } from '@formily/antd-v5';

/** The components a screen's form may name in `x-component` / `x-decorator`. */
export const SCREEN_COMPONENTS = { Card, Checkbox, DatePicker, FormCollapse, FormGrid, FormItem, FormLayout, FormTab, Input, NumberPicker, Radio, Select, Switch, TimePicker };

export const ScreenSchemaField = createSchemaField({ components: SCREEN_COMPONENTS });
