import streamlit as st
st.title('indicator')
